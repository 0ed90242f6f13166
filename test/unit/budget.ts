// The budget of the CPU-bound tests (properties, fuzzing). A fixed seed makes every run check the
// same generated cases, so a failure reproduces and a busy machine checks no fewer of them; the time
// limit is what a 2-core machine meets with both cores busy and vitest's other workers running
// (the slowest property took 2.7 s alone there, 1.8 s on an idle machine).

/** fast-check's options for every property: its cases fixed by the seed. */
export const SEEDED = { seed: 20_261_201 } as const;

/** The time limit of each CPU-bound test, far above what it takes on a loaded machine. */
export const CPU_BUDGET_MS = 60_000;
