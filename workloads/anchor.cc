namespace ptebench { int workloads_anchor() { return 0; } }
