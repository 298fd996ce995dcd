package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.generator.ProgressListener;
import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most every 1% (kept off stdout, which scripts parse). */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final String label;
    private final boolean enabled;
    private int lastPercent = -1;

    ProgressBar(PrintStream err, String label, boolean enabled) {
        this.err = err;
        this.label = label;
        this.enabled = enabled;
    }

    @Override
    public void progress(long done, long total) {
        if (!enabled || total <= 0) {
            return;
        }
        int percent = (int) (done * 100 / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + percent + "% " + done + "/" + total);
        if (done >= total) {
            err.println();
        }
        err.flush();
    }
}
