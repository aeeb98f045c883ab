#include "watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed;
static int started, stopping;
static const struct vmm_accel_ops *armed_ops;
static struct vmm_accel *armed_accel;
static uint64_t armed_deadline;

uint64_t watchdog_now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void *watch(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  while (!stopping) {
    if (!armed_accel) {
      pthread_cond_wait(&changed, &lock);
      continue;
    }
    uint64_t now = watchdog_now_ns();
    if (now >= armed_deadline) {
      /* Kicked under the lock: disarm() cannot return while a kick is in flight. */
      armed_ops->kick(armed_accel);
      armed_accel = NULL;
      continue;
    }
    struct timespec until = {(time_t)(armed_deadline / 1000000000ull), (long)(armed_deadline % 1000000000ull)};
    pthread_cond_timedwait(&changed, &lock, &until);
  }
  pthread_mutex_unlock(&lock);
  return NULL;
}

int watchdog_start(char *err, size_t n) {
  if (started) return 0;
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&changed, &attr);
  pthread_condattr_destroy(&attr);
  /* The watchdog must not take the KVM kick signal meant for the vCPU thread. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  int r = pthread_create(&thread, NULL, watch, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (r != 0) {
    snprintf(err, n, "cannot start the watchdog thread: %s", strerror(r));
    return -1;
  }
  started = 1;
  return 0;
}

void watchdog_arm(const struct vmm_accel_ops *ops, struct vmm_accel *accel, uint64_t deadline_ns) {
  pthread_mutex_lock(&lock);
  armed_ops = ops;
  armed_accel = accel;
  armed_deadline = deadline_ns;
  pthread_cond_signal(&changed);
  pthread_mutex_unlock(&lock);
}

void watchdog_disarm(void) {
  pthread_mutex_lock(&lock);
  armed_accel = NULL;
  pthread_mutex_unlock(&lock);
}

void watchdog_stop(void) {
  if (!started) return;
  pthread_mutex_lock(&lock);
  stopping = 1;
  pthread_cond_signal(&changed);
  pthread_mutex_unlock(&lock);
  pthread_join(thread, NULL);
  pthread_cond_destroy(&changed);
  started = 0;
  stopping = 0;
}
