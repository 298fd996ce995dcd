// Stand-alone probe (not a test), issue 12 round 17: is the CPU of an ML-DSA-65 verify bimodal by launch, as the job's
// preparers are (docs/PERFORMANCE.md, job section, "Round 17")? Only BouncyCastle on the classpath: keys and
// signatures made once, then the verify of SignatureScheme.ML_DSA_65 (a fresh MLDSASigner and MLDSAPublicKeyParameters
// per check, as the preparers do) in phases, each phase on new threads, printing each phase's thread CPU per check.
// Phase "ref" runs on a pool of all cores first (the standalone reference's shape), the "job" phases on two fresh
// threads (the preparers'; -Dthreads=1 leaves the other vCPU to whatever else runs). -Dsign=true first signs 3,000
// messages, as the bench's chain generator does in its JVM before any verify.
//
//   javac -cp <bcprov.jar> -d /tmp/mldsaprobe docs/probes/MlDsaVerifyCpu.java
//   java -Xss4m -Dsign=true -cp <bcprov.jar>:/tmp/mldsaprobe MlDsaVerifyCpu [keys=64] [checksPerPhase=20000] [jobPhases=3]
// Measured (round 17, through .bench/measure, 2 threads): 133-140 us per check once warm while docs/probes/HostSpeed.c
// read ~1.5 ns per step beside it, 145-225 us while it read 1.7-2.3 (the host core shared), with the same compiled code;
// forcing MLDSAEngine.doVerifyInternal inlined or not changed nothing (133.2-136.0). docs/PERFORMANCE.md, job section,
// "Round 17: the ML-DSA preparers' bimodal CPU".
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;

public class MlDsaVerifyCpu {
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int perPhase = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int jobPhases = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        byte[][] pub = new byte[keys][];
        byte[][] msg = new byte[keys][];
        byte[][] sig = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) i;
            seed[1] = (byte) (i >> 8);
            MLDSAPrivateKeyParameters sk = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, seed);
            pub[i] = sk.getPublicKey();
            msg[i] = new byte[200 + i];
            for (int j = 0; j < msg[i].length; j++) {
                msg[i][j] = (byte) (j * 31 + i);
            }
            MLDSASigner s = new MLDSASigner();
            s.init(true, new ParametersWithRandom(sk, new java.security.SecureRandom() {
                @Override
                public void nextBytes(byte[] b) {
                    java.util.Arrays.fill(b, (byte) 0);
                }
            }));
            s.update(msg[i], 0, msg[i].length);
            sig[i] = s.generateSignature();
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (Boolean.getBoolean("sign")) { // the bench's generator signs its whole chain in the JVM first
            MLDSAPrivateKeyParameters sk = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, new byte[32]);
            long c0 = MX.getCurrentThreadCpuTime();
            for (int i = 0; i < 3000; i++) {
                MLDSASigner s = new MLDSASigner();
                s.init(true, sk);
                s.update(msg[i % keys], 0, msg[i % keys].length);
                s.generateSignature();
            }
            System.out.printf("sign  3000: cpu %.1f us/sign%n", (MX.getCurrentThreadCpuTime() - c0) / 3e6);
        }
        phase("ref", cores, perPhase, pub, msg, sig);
        for (int p = 0; p < jobPhases; p++) {
            phase("job" + p, Integer.getInteger("threads", 2), perPhase, pub, msg, sig);
        }
    }

    static void phase(String name, int threads, int checks, byte[][] pub, byte[][] msg, byte[][] sig) throws Exception {
        AtomicLong cpu = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int tid = t;
            Thread th = new Thread(() -> {
                long c0 = MX.getCurrentThreadCpuTime();
                for (int i = tid; i < checks; i += threads) {
                    int k = i % pub.length;
                    if (!verify(pub[k], msg[k], sig[k])) {
                        bad.incrementAndGet();
                    }
                }
                cpu.addAndGet(MX.getCurrentThreadCpuTime() - c0);
            }, name + "-" + t);
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        long wall = System.nanoTime() - t0;
        System.out.printf("%-5s threads %d checks %d: cpu %.1f us/check, wall %.1f s, failed %d%n", name, threads, checks,
                cpu.get() / 1e3 / checks, wall / 1e9, bad.get());
    }

    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, publicKey));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
