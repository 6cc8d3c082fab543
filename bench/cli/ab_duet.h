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

// The CPUs of A and of B in repetition `rep`, and which is started first: the CPUs swap every
// repetition and the order every two (A B, B A, B A, A B, as ab's sequential ABBA), so that in
// every four repetitions each side has each CPU and each start position twice, and a difference
// between the CPUs or a head start enters the pairs with both signs, widening the interval
// instead of biasing the change (harness/paired.h).
struct Placement {
  int cpu_a, cpu_b;
  bool a_first;
};
Placement placement(const std::array<int, 2>& cpus, std::size_t rep);

// InputError when a --run-arg would take the CPU choice from the duet (--cpu, --no-pin).
void check_run_args(const std::vector<std::string>& run_args);

}  // namespace ptebench::cli::duet
