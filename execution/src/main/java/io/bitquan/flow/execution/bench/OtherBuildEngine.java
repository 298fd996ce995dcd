package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.vm.TransactionVm;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * A/B diagnostics: Block-STM as compiled in another class directory (e.g. the previous commit's
 * {@code execution/target/classes}), loaded beside this build in the same JVM, so both engines
 * are measured interleaved in one run (bench engine name {@code block-stm@DIR}, or
 * {@code block-stm-no-fallback@DIR}). Only the {@code blockstm} and {@code dag} packages (the
 * predicted schedule, which BlockStmEngine calls) come from {@code DIR} (child first; a build
 * without {@code dag} simply has none); everything they use (the VM, the engine interface, the
 * state model) is this build's, so the two engines differ only in the engine's own code.
 */
final class OtherBuildEngine {
    private static final String PACKAGE = "io.bitquan.flow.execution.blockstm.";
    private static final String SCHEDULE_PACKAGE = "io.bitquan.flow.execution.dag.";

    private OtherBuildEngine() {}

    static ExecutionEngine create(String variant, Path classes, int threads, TransactionVm vm) {
        try {
            ClassLoader loader = new EngineFirst(classes.toUri().toURL(), OtherBuildEngine.class.getClassLoader());
            Class<?> optionsClass = loader.loadClass(PACKAGE + "BlockStmOptions");
            Object options = optionsClass.getMethod("defaults", int.class).invoke(null, threads);
            if (variant.equals("block-stm-no-fallback")) {
                options = optionsClass.getMethod("withContentionFallback", boolean.class).invoke(options, false);
            } else if (!variant.equals("block-stm")) {
                throw new IllegalArgumentException("other-build engine must be block-stm or block-stm-no-fallback: " + variant);
            }
            Class<?> engineClass = loader.loadClass(PACKAGE + "BlockStmEngine");
            return (ExecutionEngine) engineClass.getConstructor(TransactionVm.class, optionsClass).newInstance(vm, options);
        } catch (ReflectiveOperationException | MalformedURLException e) {
            throw new IllegalArgumentException("cannot load Block-STM from " + classes + ": " + e, e);
        }
    }

    /** Loads the engine package from its own URL first, everything else from the parent. */
    private static final class EngineFirst extends URLClassLoader {
        EngineFirst(URL classes, ClassLoader parent) {
            super(new URL[] {classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE) && !name.startsWith(SCHEDULE_PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notInThatBuild) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
