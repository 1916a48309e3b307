package smpemu.coordinator.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared cluster secret. A joining node proves it knows the secret with an HMAC of its own
 * address, so the secret itself never crosses the wire and a proof is bound to one address.
 * Without Artery TLS the traffic is still plaintext: the secret keeps stray or misconfigured
 * nodes out; against a hostile network use tls-tcp (README).
 */
public final class Secret {
    /** Environment variable read when the config does not set smpemu.cluster.secret. */
    public static final String ENV = "SMPEMU_CLUSTER_SECRET";

    private final String value;

    public Secret(String value) { this.value = value == null ? "" : value; }

    public static Secret fromEnv() { return new Secret(System.getenv(ENV)); }

    public String value() { return value; }

    public String proof(String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // The prefix keeps the key non-empty (HMAC refuses an empty key) when no secret is set.
            mac.init(new SecretKeySpec(("smpemu-cluster:" + value).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(address.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }

    /** Constant-time comparison of a presented proof with the expected one. */
    public boolean accepts(String address, String proof) {
        return proof != null && MessageDigest.isEqual(proof(address).getBytes(StandardCharsets.UTF_8),
            proof.getBytes(StandardCharsets.UTF_8));
    }
}
