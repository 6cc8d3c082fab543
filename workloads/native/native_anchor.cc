// Keeps ptebench_native a valid static library while its sources are being written.
namespace ptebench::native {
int native_anchor() { return 0; }
}  // namespace ptebench::native
