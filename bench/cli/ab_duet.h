// `ptebench ab --duet`: A and B run at the same moment, each pinned to its own CPU, so that what
// the machine does meanwhile (another tenant, the host, frequency) hits both alike; the pairs are
// then compared as pairs (harness/paired.h). Bulej et al., "Duet Benchmarking: Improving
// Measurement Accuracy in the Cloud" (ICPE 2020): 2.3-12.5x narrower intervals on ScalaBench,
// 23.8-82.4x on SPEC CPU 2017. This unit holds the schedule: which CPUs, and who runs where.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace ptebench::cli::duet {

// The two highest-numbered CPUs this process may run on (`run` pins to the highest by default,
// the one least likely to take the machine's interrupts). InputError "ptebench ab --duet: needs
// two CPUs ..." (one line, exit 2) when fewer are allowed.
std::array<int, 2> pick_cpus();

// The CPUs of A and of B in repetition `rep`: swapped every repetition, so that a difference
// between the two CPUs enters half the pairs on each side and cancels instead of biasing the
// change (paired.h).
struct Placement {
  int cpu_a, cpu_b;
};
Placement placement(const std::array<int, 2>& cpus, std::size_t rep);

// InputError when a --run-arg would take the CPU choice from the duet (--cpu, --no-pin).
void check_run_args(const std::vector<std::string>& run_args);

}  // namespace ptebench::cli::duet
