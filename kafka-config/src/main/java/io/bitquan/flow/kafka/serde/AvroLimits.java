package io.bitquan.flow.kafka.serde;

import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;

/**
 * Avro's own decoding limits ({@link SystemLimitException}: string, bytes and collection
 * lengths). Without them a length prefix just below 2^31 makes Avro allocate that much, and
 * one at the limit throws {@code UnsupportedOperationException}. Avro reads its system
 * properties once, when {@code SystemLimitException} is first loaded, which in a Flink
 * TaskManager or a test JVM may already have happened: {@link #install} sets the properties
 * and re-reads them through Avro's own (package-private) {@code resetLimits}, then checks that
 * the limits are in force. JVM-wide by nature; every install uses the job's limits.
 */
public final class AvroLimits {
    private AvroLimits() {}

    public static synchronized void install(RecordLimits limits) {
        String bytes = String.valueOf(limits.maxRecordBytes());
        System.setProperty(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, bytes);
        System.setProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, bytes);
        System.setProperty(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, String.valueOf(limits.maxCollectionItems()));
        try {
            Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reset.setAccessible(true);
            reset.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot apply Avro's decoding limits (Avro version without resetLimits?)", e);
        }
        if (!inForce(limits)) {
            throw new IllegalStateException("Avro's decoding limits are not in force after install");
        }
    }

    /** Whether Avro currently refuses lengths just above the given limits. */
    public static boolean inForce(RecordLimits limits) {
        return refuses(() -> SystemLimitException.checkMaxBytesLength(limits.maxRecordBytes() + 1L))
                && refuses(() -> SystemLimitException.checkMaxStringLength(limits.maxRecordBytes() + 1L))
                && refuses(() -> SystemLimitException.checkMaxCollectionLength(limits.maxCollectionItems() + 1L));
    }

    private static boolean refuses(Runnable check) {
        try {
            check.run();
            return false;
        } catch (SystemLimitException expected) {
            return true;
        }
    }
}
