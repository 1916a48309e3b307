package smpemu.node.model;

import smpemu.config.KernelSettings;
import smpemu.config.PreemptionModel;

/**
 * The kernel the model runs: which of the series' patches are applied (docs/kernel-model.md §9)
 * and which unsafe variant, if any (§11), for the {@code if (patch(N))} and
 * {@code if (unsafe(Un))} in the kernel files. An unsafe variant is the kernel code with one
 * guard taken away where the real bug would be; the checkers find what goes wrong.
 */
final class Kernel {
    static final String U1 = "u1", U2 = "u2", U3 = "u3", U4 = "u4", U9 = "u9", U10 = "u10";

    private final boolean[] patches = new boolean[KernelSettings.PATCH_COUNT + 1];
    private final KernelSettings settings;
    /** PREEMPT_RT: spinlocks sleep instead of disabling preemption. */
    final boolean rt;

    Kernel(KernelSettings k) {
        for (int p : k.effectivePatches()) patches[p] = true;
        this.settings = k;
        this.rt = k.preemption() == PreemptionModel.RT;
    }

    /** Whether patch {@code n} of the series (v6 numbering) is applied. */
    boolean patch(int n) { return patches[n]; }

    /** Whether this is unsafe variant {@code u}. */
    boolean unsafe(String u) { return settings.unsafe(u); }
}
