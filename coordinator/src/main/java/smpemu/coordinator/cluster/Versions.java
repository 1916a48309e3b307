package smpemu.coordinator.cluster;

/** What two cluster members must agree on before one hosts CPUs for the other. */
public final class Versions {
    private Versions() {}

    /** The smpemu release; Main's --version prints the same. */
    public static final String SMPEMU = "0.1.0";
}
