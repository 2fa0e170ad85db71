// The timekeeping probe: /init of vtime's Linux guest. It measures what Linux
// programs depend on (sleeps, periodic timers, the clocks' consistency and cost,
// guest-timed busy work) and prints each figure as one key=value line between
// "probe=start" and "probe=done", then powers the board off. Every figure is a
// whole number computed from the guest's own clocks, so under icount with
// sleep=off a run prints the same lines every time and tests assert them exactly
// (the RTC's lines too when its base is a fixed date on the VM clock).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
  kSleeps = 20,
  kSleepNs = 1000000,        // 1 ms
  kTimerExpirations = 20,
  kTimerPeriodNs = 10000000,  // 10 ms
  kClockReads = 1000,
  kBusyIterations = 1000000,  // two instructions each
};

static int64_t now_ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void put(const char* key, int64_t value) { printf("%s=%lld\n", key, (long long)value); }

// Prints the first line of a sysfs file as key=text (or key=unknown).
static void put_file(const char* key, const char* path) {
  char text[128] = "unknown";
  FILE* f = fopen(path, "r");
  if (f != NULL) {
    if (fgets(text, sizeof text, f) == NULL) strcpy(text, "unknown");
    fclose(f);
  }
  text[strcspn(text, "\n")] = '\0';
  printf("%s=%s\n", key, text);
}

static int compare_i64(const void* a, const void* b) {
  const int64_t x = *(const int64_t*)a, y = *(const int64_t*)b;
  return (x > y) - (x < y);
}

static void clock_devices(void) {
  put("harts", sysconf(_SC_NPROCESSORS_ONLN));
  put_file("clocksource", "/sys/devices/system/clocksource/clocksource0/current_clocksource");
  put_file("clockevent", "/sys/devices/system/clockevents/clockevent0/current_device");
  struct timespec res;
  clock_getres(CLOCK_MONOTONIC, &res);
  put("clock_res_monotonic_ns", (int64_t)res.tv_sec * 1000000000 + res.tv_nsec);
}

// Relative 1 ms sleeps: how much later than asked each one ended. The kernel
// may end each up to the task's timer slack late (50 us by default), so that
// is printed too.
static void nanosleep_oversleep(void) {
  int64_t over[kSleeps];
  int early = 0;
  for (int i = 0; i < kSleeps; ++i) {
    const struct timespec req = {0, kSleepNs};
    const int64_t start = now_ns(CLOCK_MONOTONIC);
    while (nanosleep(&req, NULL) != 0 && errno == EINTR) {
    }
    over[i] = now_ns(CLOCK_MONOTONIC) - start - kSleepNs;
    if (over[i] < 0) ++early;
  }
  qsort(over, kSleeps, sizeof over[0], compare_i64);
  put("timer_slack_ns", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
  put("nanosleep_requested_ns", kSleepNs);
  put("nanosleep_count", kSleeps);
  put("nanosleep_early", early);
  put("nanosleep_oversleep_min_ns", over[0]);
  put("nanosleep_oversleep_median_ns", over[kSleeps / 2]);
  put("nanosleep_oversleep_max_ns", over[kSleeps - 1]);
}

// A periodic CLOCK_MONOTONIC POSIX timer, waited for with sigwaitinfo: the k-th
// expiry is due at armed + k * period; late/early are against that, the period
// error against the previous wake-up.
static void periodic_timer(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &set, NULL);
  struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN};
  timer_t timer;
  if (timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0) {
    printf("timer_error=timer_create failed: %s\n", strerror(errno));
    return;
  }
  const struct itimerspec spec = {.it_interval = {0, kTimerPeriodNs}, .it_value = {0, kTimerPeriodNs}};
  const int64_t armed = now_ns(CLOCK_MONOTONIC);
  timer_settime(timer, 0, &spec, NULL);
  int64_t expirations = 0, overruns = 0, early = 0, late_max = 0, error_max = 0;
  int64_t previous = armed;
  int signals = 0;
  while (expirations < kTimerExpirations) {
    siginfo_t info;
    if (sigwaitinfo(&set, &info) < 0) continue;
    const int64_t woke = now_ns(CLOCK_MONOTONIC);
    const int overrun = timer_getoverrun(timer);
    ++signals;
    overruns += overrun;
    expirations += 1 + overrun;
    const int64_t late = woke - (armed + expirations * kTimerPeriodNs);
    if (late < 0) ++early;
    if (late > late_max) late_max = late;
    const int64_t error = llabs(woke - previous - kTimerPeriodNs);
    if (error > error_max) error_max = error;
    previous = woke;
  }
  timer_delete(timer);
  put("timer_period_ns", kTimerPeriodNs);
  put("timer_signals", signals);
  put("timer_expirations", expirations);
  put("timer_overruns", overruns);
  put("timer_early", early);
  put("timer_late_max_ns", late_max);
  put("timer_period_error_max_ns", error_max);
}

// The clocks agree: MONOTONIC never goes back, BOOTTIME (no suspend) lies
// between two MONOTONIC reads around it, REALTIME's offset from MONOTONIC.
static void clock_consistency(void) {
  int backwards = 0;
  int64_t last = now_ns(CLOCK_MONOTONIC);
  for (int i = 0; i < kClockReads; ++i) {
    const int64_t t = now_ns(CLOCK_MONOTONIC);
    if (t < last) ++backwards;
    last = t;
  }
  const int64_t before = now_ns(CLOCK_MONOTONIC);
  const int64_t boot = now_ns(CLOCK_BOOTTIME);
  const int64_t after = now_ns(CLOCK_MONOTONIC);
  const int64_t real = now_ns(CLOCK_REALTIME);
  const int64_t mono = now_ns(CLOCK_MONOTONIC);
  put("clock_monotonic_reads", kClockReads);
  put("clock_monotonic_backwards", backwards);
  put("clock_boottime_between_monotonic", before <= boot && boot <= after);
  put("clock_boottime_minus_monotonic_ns", boot - before);
  put("clock_realtime_minus_monotonic_ns", real - mono);
}

// What one clock_gettime(CLOCK_MONOTONIC) costs, averaged over many calls.
static void clock_gettime_cost(void) {
  const int64_t start = now_ns(CLOCK_MONOTONIC);
  for (int i = 0; i < kClockReads; ++i) now_ns(CLOCK_MONOTONIC);
  const int64_t total = now_ns(CLOCK_MONOTONIC) - start;
  put("clock_gettime_calls", kClockReads);
  put("clock_gettime_total_ns", total);
  put("clock_gettime_ns_per_call", total / kClockReads);
}

// A loop of exactly 2 * kBusyIterations instructions (addi, bnez), timed by
// the guest: under icount its duration is that count times the instruction
// period plus the clock reads and any interrupt taken meanwhile.
static void busy_loop(void) {
  unsigned long n = kBusyIterations;
  const int64_t start = now_ns(CLOCK_MONOTONIC);
  __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n));
  const int64_t took = now_ns(CLOCK_MONOTONIC) - start;
  put("busy_loop_insns", 2 * (int64_t)kBusyIterations);
  put("busy_loop_ns", took);
}

static void put_date(const char* key, int year, int month, int day) {
  printf("%s=%04d-%02d-%02d\n", key, year, month, day);
}

// The RTC as Linux reads it (/dev/rtc0's RTC_RD_TIME and sysfs since_epoch, whole
// seconds) and CLOCK_REALTIME, which the kernel set from it at boot.
static void wall_clock(void) {
  const int64_t realtime_s = now_ns(CLOCK_REALTIME) / 1000000000;
  const int fd = open("/dev/rtc0", O_RDONLY);
  struct rtc_time tm;
  const int read_ok = fd >= 0 && ioctl(fd, RTC_RD_TIME, &tm) == 0;
  if (fd >= 0) close(fd);
  printf("rtc=%s\n", fd >= 0 ? "present" : "none");
  if (read_ok) {
    put_date("rtc_date", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    printf("rtc_time=%02d:%02d:%02d\n", tm.tm_hour, tm.tm_min, tm.tm_sec);
  }
  put_file("rtc_since_epoch_s", "/sys/class/rtc/rtc0/since_epoch");
  put_file("rtc_hctosys", "/sys/class/rtc/rtc0/hctosys");
  put("realtime_s", realtime_s);
  const time_t t = (time_t)realtime_s;
  struct tm utc;
  if (gmtime_r(&t, &utc) != NULL) put_date("realtime_date", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
  FILE* f = fopen("/sys/class/rtc/rtc0/since_epoch", "r");
  long long rtc_s = 0;
  if (f != NULL) {
    if (fscanf(f, "%lld", &rtc_s) == 1) put("realtime_minus_rtc_s", realtime_s - rtc_s);
    fclose(f);
  }
}

/* probe_long_sleep_ms=N on the kernel command line (the kernel hands it to init
 * in the environment): one nanosleep of N ms between two lines, so a test on the
 * host can time the sleep against its own clock as the lines arrive. */
static void long_sleep(void) {
  const char* ms = getenv("probe_long_sleep_ms");
  if (ms == NULL) return;
  const long n = strtol(ms, NULL, 10);
  printf("long_sleep=start\n");
  fflush(stdout);
  const int64_t t0 = now_ns(CLOCK_MONOTONIC);
  struct timespec ts = {n / 1000, (n % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
  put("long_sleep_ns", now_ns(CLOCK_MONOTONIC) - t0);
  printf("long_sleep=end\n");
  fflush(stdout);
}

int main(void) {
  mkdir("/proc", 0555);
  mkdir("/sys", 0555);
  mkdir("/dev", 0755);
  mount("proc", "/proc", "proc", 0, NULL);
  mount("sysfs", "/sys", "sysfs", 0, NULL);
  mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
  setvbuf(stdout, NULL, _IOLBF, 0);  // whole lines, so kernel messages cannot split one
  printf("probe=start\n");
  put("probe_start_monotonic_ns", now_ns(CLOCK_MONOTONIC));
  clock_devices();
  nanosleep_oversleep();
  periodic_timer();
  clock_consistency();
  clock_gettime_cost();
  busy_loop();
  wall_clock();
  long_sleep();
  put("probe_end_monotonic_ns", now_ns(CLOCK_MONOTONIC));
  printf("probe=done\n");
  fflush(stdout);
  reboot(RB_POWER_OFF);
  printf("probe_error=poweroff failed: %s\n", strerror(errno));
  return 1;
}
