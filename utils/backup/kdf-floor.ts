/**
 * The weakest password-KDF parameters ChatVault will ever use: RFC 9106's second recommended
 * option (64 MiB, 3 passes, 4 lanes). Calibration only raises them.
 */
export const PASSWORD_KDF_FLOOR = { memoryKiB: 65536, iterations: 3, parallelism: 4 } as const;
