/**
 * The `run` options of the SLURM executor (`--executor slurm`, docs/slurm.md), each falling back
 * to its environment variable (`engine/slurm/SlurmSettings.ts`).
 *
 * @module slurmOptions
 */
import * as Options from "@effect/cli/Options"
import * as SlurmSettings from "../engine/slurm/SlurmSettings.js"

export const slurmOptions = {
  slurmProfile: Options.file("slurm-profile", { exists: "yes" }).pipe(
    Options.withFallbackConfig(SlurmSettings.profile),
    Options.optional,
    Options.withDescription(
      "A SLURM profile (YAML: default-resources, set-resources, retries, setup; see docs/slurm.md) (default: $PIPELINE_SLURM_PROFILE)."
    )
  ),
  slurmPartition: Options.text("slurm-partition").pipe(
    Options.withFallbackConfig(SlurmSettings.partition),
    Options.optional,
    Options.withDescription(
      "The partition of every SLURM job (default: $PIPELINE_SLURM_PARTITION, else the profile's)."
    )
  ),
  slurmAccount: Options.text("slurm-account").pipe(
    Options.withFallbackConfig(SlurmSettings.account),
    Options.optional,
    Options.withDescription(
      "The account SLURM jobs are charged to (default: $PIPELINE_SLURM_ACCOUNT, else the profile's)."
    )
  ),
  slurmExtra: Options.text("slurm-extra").pipe(
    Options.withFallbackConfig(SlurmSettings.extra),
    Options.optional,
    Options.withDescription('Further sbatch arguments for every job, e.g. "--qos=short --constraint=avx2".')
  ),
  slurmResources: Options.text("slurm-resources").pipe(
    Options.repeated,
    Options.withDescription(
      "A stage's SLURM resources: STAGE:KEY=VALUE with KEY mem_mb, mem, runtime, cpus_per_task, slurm_partition, slurm_account or slurm_extra (repeatable)."
    )
  )
}
