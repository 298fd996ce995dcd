package io.bitquan.flow.model.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.codec.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BLAKE3 against the official test vectors (BLAKE3-team/BLAKE3 test_vectors/test_vectors.json,
 * "hash" mode): input i is the byte i mod 251; each expected value is 131 bytes of extended
 * output, whose first 32 bytes are the default hash.
 */
class Blake3KnownAnswerTest {

    @ParameterizedTest(name = "input_len={0}")
    @CsvSource({
        "0, af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262e00f03e7b69af26b7faaf09fcd333050338ddfe085b8cc869ca98b206c08243a26f5487789e8f660afe6c99ef9e0c52b92e7393024a80459cf91f476f9ffdbda7001c22e159b402631f277ca96f2defdf1078282314e763699a31c5363165421cce14d",
        "1, 2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213c3a6cb8bf623e20cdb535f8d1a5ffb86342d9c0b64aca3bce1d31f60adfa137b358ad4d79f97b47c3d5e79f179df87a3b9776ef8325f8329886ba42f07fb138bb502f4081cbcec3195c5871e6c23e2cc97d3c69a613eba131e5f1351f3f1da786545e5",
        "1023, 10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11a182d27a591b05592b15607500e1e8dd56bc6c7fc063715b7a1d737df5bad3339c56778957d870eb9717b57ea3d9fb68d1b55127bba6a906a4a24bbd5acb2d123a37b28f9e9a81bbaae360d58f85e5fc9d75f7c370a0cc09b6522d9c8d822f2f28f485",
        "1024, 42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af71cf8107265ecdaf8505b95d8fcec83a98a6a96ea5109d2c179c47a387ffbb404756f6eeae7883b446b70ebb144527c2075ab8ab204c0086bb22b7c93d465efc57f8d917f0b385c6df265e77003b85102967486ed57db5c5ca170ba441427ed9afa684e",
        "1025, d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444f4c4a22b4b399155358a994e52bf255de60035742ec71bd08ac275a1b51cc6bfe332b0ef84b409108cda080e6269ed4b3e2c3f7d722aa4cdc98d16deb554e5627be8f955c98e1d5f9565a9194cad0c4285f93700062d9595adb992ae68ff12800ab67a",
        "2048, e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a9a60bf80001410ec9eea6698cd537939fad4749edd484cb541aced55cd9bf54764d063f23f6f1e32e12958ba5cfeb1bf618ad094266d4fc3c968c2088f677454c288c67ba0dba337b9d91c7e1ba586dc9a5bc2d5e90c14f53a8863ac75655461cea8f9",
        "2049, 5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b687952256303096de31d71d74103403822a2e0bc1eb193e7aecc9643a76b7bbc0c9f9c52e8783aae98764ca468962b5c2ec92f0c74eb5448d519713e09413719431c802f948dd5d90425a4ecdadece9eb178d80f26efccae630734dff63340285adec2aed3b51073ad3",
        "3072, b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd29a3f6b0b978d6608335c09dc94ccf682f9951cdfc501bfe47b9c9189a6fc7b404d120258506341a6d802857322fbd20d3e5dae05b95c88793fa83db1cb08e7d8008d1599b6209d78336e24839724c191b2a52a80448306e0daa84a3fdb566661a37e11",
        "3073, 7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd39a27ae3b79d68d89da9bf25bc27139ae65a324918a5f9b7828181e52cf373c84f35b639b7fccbb985b6f2fa56aea0c18f531203497b8bbd3a07ceb5926f1cab74d14bd66486d9a91eba99059a98bd1cd25876b2af5a76c3e9eed554ed72ea952b603bf",
        "4096, 015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e9690289e9409ddb1b99768eafe1623da896faf7e1114bebeadc1be30829b6f8af707d85c298f4f0ff4d9438aef948335612ae921e76d411c3a9111df62d27eaf871959ae0062b5492a0feb98ef3ed4af277f5395172dbe5c311918ea0074ce0036454f620",
        "7169, a003fc7a51754a9b3c7fae0367ab3d782dccf28855a03d435f8cfe74605e781798a8b20534be1ca9eb2ae2df3fae2ea60e48c6fb0b850b1385b5de0fe460dbe9d9f9b0d8db4435da75c601156df9d047f4ede008732eb17adc05d96180f8a73548522840779e6062d643b79478a6e8dbce68927f36ebf676ffa7d72d5f68f050b119c8",
    })
    void matchesOfficialVectors(int length, String expectedHex) {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) {
            input[i] = (byte) (i % 251);
        }
        byte[] expected = Bytes.fromHex(expectedHex);
        assertThat(Bytes.hex(Blake3.xof(input, expected.length))).isEqualTo(expectedHex);
        assertThat(Bytes.hex(Blake3.hash(input))).isEqualTo(expectedHex.substring(0, 64));
        assertThat(Bytes.hex(Blake3Hasher.hash(input))).as("multi-chunk hasher").isEqualTo(expectedHex.substring(0, 64));
        assertThat(Bytes.hex(Blake3Xof.xof(input, expected.length))).as("tuned XOF").isEqualTo(expectedHex);
        assertThat(Bytes.hex(Blake3XofReference.xof(input, expected.length))).as("first XOF").isEqualTo(expectedHex);
        int[] words = new int[(expected.length + 3) / 4];
        Blake3Xof.xofWords(input, words);
        for (int i = 0; i < expected.length; i++) {
            assertThat((byte) (words[i >>> 2] >>> ((i & 3) << 3))).as("word output byte %d", i).isEqualTo(expected[i]);
        }
    }

    /**
     * 2048-byte outputs (the LtHash element size), which the official vectors (131 bytes) do not
     * reach: SHA-256 of the output of the BLAKE3 team's {@code b3sum --length 2048} (1.2.0, Debian)
     * on the same i mod 251 inputs, on and around the block and chunk edges.
     */
    @ParameterizedTest(name = "input_len={0}")
    @CsvSource({
        "0, c700539924eb9d06649c0b8478f48455baa0562f93f10a2613539e3efd9a2f2e",
        "1, d365f0775d8cd2a359fcf60b4966119a845d21c7773e3736b329d802ad621eaf",
        "63, 77c15eafe27dd8c5cc54178e42388e684f96eee98655110df4e66bc4c6102bed",
        "64, dd3ee983da21c6b5afabb05660c51d1a28ad2da8f82007819f5b6e62e1996735",
        "65, 3e39fa71ab79a26844db843071c30744815348cffbcbc62d01fa7cecbe076cef",
        "1023, fe91d4a6ecdc355cfef34244767d82e869b363a40d59d2eb520136029e2abd13",
        "1024, b3dec1e2872e517492507570abeae0427075e861b1e7167a9d78f39e2bede8c5",
        "1025, a01508f215456cde8d99a531b13c5965d58665387b234b2266b4c2eea1515abc",
        "2049, 67b385102fef456690f8d61f49f158a41d9da7291a9c6e94ee64207443494b34",
    })
    void matches2048ByteOutputsOfTheReferenceTool(int length, String sha256OfOutput) throws Exception {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) {
            input[i] = (byte) (i % 251);
        }
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        assertThat(Bytes.hex(sha256.digest(Blake3Xof.xof(input, 2048)))).as("tuned XOF").isEqualTo(sha256OfOutput);
        assertThat(Bytes.hex(sha256.digest(Blake3XofReference.xof(input, 2048)))).as("first XOF").isEqualTo(sha256OfOutput);
        assertThat(Bytes.hex(sha256.digest(Blake3.xof(input, 2048)))).as("BouncyCastle").isEqualTo(sha256OfOutput);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "1025"})
    void hashOfPartsEqualsHashOfConcatenation(int split) {
        byte[] input = new byte[2049];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) (i % 251);
        }
        byte[] a = java.util.Arrays.copyOfRange(input, 0, split);
        byte[] b = java.util.Arrays.copyOfRange(input, split, input.length);
        assertThat(Blake3.hash(a, b)).isEqualTo(Blake3.hash(input));
    }
}
