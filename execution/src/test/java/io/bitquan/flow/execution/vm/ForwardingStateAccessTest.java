package io.bitquan.flow.execution.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forwarding base hands every method of {@code StateAccess} to its delegate, the interface's
 * defaults included, with the very arguments it was given, and returns the delegate's very answer.
 * The methods are found by reflection over the interface, so a method added to it later and not
 * forwarded fails here (and a parameter or return type without a sample below fails too, asking
 * for one).
 */
class ForwardingStateAccessTest {

    /** One call the delegate received. */
    private record Call(Method method, Object[] args) {}

    /** A sample argument per parameter type: distinct instances, so identity shows they were handed on. */
    private static Object sample(Class<?> type) {
        if (type == StateKey.class) {
            return StateKey.account(new byte[32]);
        }
        if (type == StateValue.class) {
            return new AccountState(7, 1);
        }
        if (type == byte[].class) {
            return new byte[] {1, 2, 3};
        }
        if (type == int.class) {
            return 5;
        }
        if (type == long.class) {
            return 9L;
        }
        throw new AssertionError("no sample for a " + type + ": add one to this test");
    }

    /** What the delegate answers per return type: fresh instances, so identity shows the base returned it. */
    private static final Map<Class<?>, Object> ANSWERS = Map.of(
            StateValue.class, new AccountState(11, 2),
            StateKey.class, StateKey.utxo(new byte[32], 3),
            byte[].class, new byte[] {4, 5, 6});

    private static List<Method> stateAccessMethods() {
        List<Method> methods = new ArrayList<>();
        for (Method m : StateAccess.class.getMethods()) {
            if (!m.isSynthetic() && !Modifier.isStatic(m.getModifiers())) {
                methods.add(m);
            }
        }
        return methods;
    }

    @Test
    void everyMethodOfStateAccessIsDeclaredHereNotInheritedFromADefault() throws Exception {
        for (Method m : stateAccessMethods()) {
            Method resolved = ForwardingStateAccess.class.getMethod(m.getName(), m.getParameterTypes());
            assertThat(resolved.getDeclaringClass()).as(m.toString()).isEqualTo(ForwardingStateAccess.class);
        }
    }

    @Test
    void everyMethodHandsItsArgumentsToTheDelegateAndReturnsItsAnswer() throws Exception {
        List<Call> calls = new ArrayList<>();
        StateAccess delegate = (StateAccess) Proxy.newProxyInstance(StateAccess.class.getClassLoader(),
                new Class<?>[] {StateAccess.class}, (proxy, method, args) -> {
                    calls.add(new Call(method, args));
                    if (method.getReturnType() == void.class) {
                        return null;
                    }
                    assertThat(ANSWERS).as("an answer for " + method.getReturnType() + ": add one to this test")
                            .containsKey(method.getReturnType());
                    return ANSWERS.get(method.getReturnType());
                });
        StateAccess forwarding = new ForwardingStateAccess(delegate) {};
        List<Method> methods = stateAccessMethods();
        assertThat(methods).extracting(Method::getName)
                .contains("read", "write", "credit", "accountKey", "utxoKey", "publicKeyHash");
        for (Method m : methods) {
            Class<?>[] types = m.getParameterTypes();
            Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                args[i] = sample(types[i]);
            }
            calls.clear();
            Object answer;
            try {
                answer = m.invoke(forwarding, args);
            } catch (InvocationTargetException e) {
                throw new AssertionError(m + " threw", e.getCause());
            }
            assertThat(calls).as(m.toString()).hasSize(1);
            Call call = calls.get(0);
            assertThat(call.method()).as(m.toString()).isEqualTo(m);
            for (int i = 0; i < args.length; i++) {
                if (types[i].isPrimitive()) {
                    assertThat(call.args()[i]).as("%s argument %d", m, i).isEqualTo(args[i]);
                } else {
                    assertThat(call.args()[i]).as("%s argument %d", m, i).isSameAs(args[i]);
                }
            }
            if (m.getReturnType() != void.class) {
                assertThat(answer).as(m.toString()).isSameAs(ANSWERS.get(m.getReturnType()));
            }
        }
    }
}
