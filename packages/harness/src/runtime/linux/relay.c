/*
 * snapstart relay: the guest side of the linux engine's host channel (pid 1 of the guest, after
 * /init has mounted the file systems and loaded the virtio modules).
 *
 * Why: the Lambda runtime interface clients speak HTTP to AWS_LAMBDA_RUNTIME_API, and one of their
 * requests (GET /runtime/restore/next) is in flight when the snapshot is taken. A guest network
 * device would reset that TCP connection in every clone; a virtio-serial port survives the
 * restore. So every TCP connection to 127.0.0.1:9001 stays inside the guest and its bytes travel
 * as frames over one port named "snapstart.relay".
 *
 * Frame: type (1 byte), connection id (4 bytes, big endian), length (4 bytes, big endian), payload.
 * The host's table is Frame in src/engines/linux/vm/types.ts.
 *
 * It also starts the image's command when the host says START (so the snapshot boot and cold
 * boots share one image and differ only in the environment the host sends), forwards the
 * command's stdout/stderr as LOG frames, reports its exit, sets the wall clock on CLOCK (a clone
 * otherwise resumes at the snapshot's instant), answers SYNC (the host's check, before a snapshot,
 * that everything it sent has reached the guest's sockets), and reaps orphans (it is pid 1).
 *
 * Usage: relay <argv-file> <env-file> <cwd-file>   (files hold NUL-terminated strings)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
  F_HELLO = 1,
  F_OPEN = 2,
  F_DATA = 3,
  F_CLOSE = 4,
  F_LOG = 5,
  F_EXIT = 6,
  F_START = 16,
  F_CLOCK = 17,
  F_CLOCK_ACK = 18,
  F_SYNC = 19,
  F_SYNC_ACK = 20,
};

#define PORT_NAME "snapstart.relay"
#define LISTEN_PORT 9001
#define MAX_CONNS 256
#define MAX_PAYLOAD 65536
#define HEADER 9

struct conn {
  int fd;            /* -1: free slot */
  uint32_t id;
  int read_open;     /* guest side still sends */
  int write_open;    /* host side still sends */
};

static struct conn conns[MAX_CONNS];
static uint32_t next_id = 1;
static int port = -1;
static pid_t child = -1;
static int child_out = -1, child_err = -1;
static char **cmd_argv, **base_env;
static const char *cmd_cwd;

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("snapstart relay: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\n", stderr);
  va_end(ap);
  /* pid 1 must not exit: the kernel would panic and hide the message. */
  for (;;) pause();
}

static void write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("write to fd %d: %s", fd, strerror(errno));
    }
    p += n;
    len -= (size_t)n;
  }
}

/* Writes to the port block while no host is connected (virtio_console waits for host_connected). */
static void send_frame(int type, uint32_t id, const void *payload, uint32_t len) {
  unsigned char h[HEADER];
  h[0] = (unsigned char)type;
  uint32_t nid = htonl(id), nlen = htonl(len);
  memcpy(h + 1, &nid, 4);
  memcpy(h + 5, &nlen, 4);
  write_all(port, h, HEADER);
  if (len > 0) write_all(port, payload, len);
}

/* Reads a whole file of NUL-separated strings into a NULL-terminated vector. */
static char **read_strings(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("open %s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) < 0) die("stat %s: %s", path, strerror(errno));
  size_t size = (size_t)st.st_size;
  char *buf = malloc(size + 1);
  if (!buf) die("out of memory");
  size_t got = 0;
  while (got < size) {
    ssize_t n = read(fd, buf + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) die("read %s: %s", path, n < 0 ? strerror(errno) : "short file");
    got += (size_t)n;
  }
  if (close(fd) < 0) die("close %s: %s", path, strerror(errno));
  buf[size] = '\0';
  size_t count = 0;
  for (size_t i = 0; i < size; i++) count += buf[i] == '\0';
  char **v = calloc(count + 1, sizeof *v);
  if (!v) die("out of memory");
  size_t k = 0, start = 0;
  for (size_t i = 0; i < size; i++) {
    if (buf[i] == '\0') {
      v[k++] = buf + start;
      start = i + 1;
    }
  }
  v[k] = NULL;
  return v;
}

/* The port's device: /sys/class/virtio-ports/<dev>/name holds PORT_NAME; /dev/<dev> is devtmpfs's node. */
static int open_port(void) {
  for (int attempt = 0; attempt < 500; attempt++) {
    DIR *d = opendir("/sys/class/virtio-ports");
    if (d) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[512], name[128] = {0};
        snprintf(path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
        int nf = open(path, O_RDONLY | O_CLOEXEC);
        if (nf < 0) continue;
        ssize_t n = read(nf, name, sizeof name - 1);
        if (close(nf) < 0) die("close %s: %s", path, strerror(errno));
        if (n <= 0 || strncmp(name, PORT_NAME, strlen(PORT_NAME)) != 0) continue;
        snprintf(path, sizeof path, "/dev/%s", e->d_name);
        int fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0) die("open %s: %s", path, strerror(errno));
        if (closedir(d) < 0) die("closedir: %s", strerror(errno));
        return fd;
      }
      if (closedir(d) < 0) die("closedir: %s", strerror(errno));
    }
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  die("no virtio-serial port named %s (are the virtio modules loaded?)", PORT_NAME);
  return -1;
}

static int listen_tcp(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket: %s", strerror(errno));
  int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) die("setsockopt: %s", strerror(errno));
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(LISTEN_PORT);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind 127.0.0.1:%d: %s", LISTEN_PORT, strerror(errno));
  if (listen(fd, 64) < 0) die("listen: %s", strerror(errno));
  return fd;
}

static struct conn *find_conn(uint32_t id) {
  for (int i = 0; i < MAX_CONNS; i++)
    if (conns[i].fd >= 0 && conns[i].id == id) return &conns[i];
  return NULL;
}

static void drop_conn(struct conn *c) {
  if (close(c->fd) < 0) die("close connection: %s", strerror(errno));
  c->fd = -1;
}

static void accept_conn(int lfd) {
  int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) {
    /* A connection that went before we took it, or a transient shortage: the client sees the
     * refusal (or retries); the relay and the other connections go on. */
    if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED || errno == EPROTO || errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) return;
    die("accept: %s", strerror(errno));
  }
  for (int i = 0; i < MAX_CONNS; i++) {
    if (conns[i].fd < 0) {
      conns[i] = (struct conn){fd, next_id++, 1, 1};
      send_frame(F_OPEN, conns[i].id, NULL, 0);
      return;
    }
  }
  /* Too many connections: refuse this one rather than stall the others. */
  if (close(fd) < 0) die("close: %s", strerror(errno));
}

/* Merges the image's environment with the host's additions (which win on the same name). */
static char **merged_env(const char *extra, uint32_t len) {
  size_t nbase = 0, nextra = 0;
  while (base_env[nbase]) nbase++;
  for (uint32_t i = 0; i < len; i++) nextra += extra[i] == '\0';
  char **env = calloc(nbase + nextra + 1, sizeof *env);
  if (!env) die("out of memory");
  size_t k = 0;
  for (size_t i = 0; i < nbase; i++) {
    const char *eq = strchr(base_env[i], '=');
    size_t keylen = eq ? (size_t)(eq - base_env[i]) + 1 : strlen(base_env[i]);
    int overridden = 0;
    for (uint32_t j = 0; j < len; j += (uint32_t)strlen(extra + j) + 1)
      if (strncmp(extra + j, base_env[i], keylen) == 0) overridden = 1;
    if (!overridden) env[k++] = base_env[i];
  }
  for (uint32_t j = 0; j < len; j += (uint32_t)strlen(extra + j) + 1) env[k++] = (char *)extra + j;
  env[k] = NULL;
  return env;
}

static void start_child(const char *extra, uint32_t len) {
  if (child > 0) return; /* one command per boot */
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) die("pipe: %s", strerror(errno));
  char **env = merged_env(extra, len);
  pid_t pid = fork();
  if (pid < 0) die("fork: %s", strerror(errno));
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) _exit(120);
    if (setsid() < 0) _exit(121);
    if (dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) _exit(122);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || dup2(devnull, 0) < 0) _exit(123);
    if (chdir(cmd_cwd) < 0) {
      dprintf(2, "snapstart relay: chdir %s: %s\n", cmd_cwd, strerror(errno));
      _exit(124);
    }
    execve(cmd_argv[0], cmd_argv, env);
    dprintf(2, "snapstart relay: exec %s: %s\n", cmd_argv[0], strerror(errno));
    _exit(127);
  }
  free(env);
  if (close(out[1]) < 0 || close(err[1]) < 0) die("close: %s", strerror(errno));
  /* Non-blocking: at the child's exit its own children may still hold the pipes open. */
  if (fcntl(out[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(err[0], F_SETFL, O_NONBLOCK) < 0) die("fcntl: %s", strerror(errno));
  child = pid;
  child_out = out[0];
  child_err = err[0];
}

static void set_clock(const unsigned char *p, uint32_t len) {
  if (len != 12) die("CLOCK frame of %u bytes (expected 12)", len);
  uint32_t hi, lo, ns;
  memcpy(&hi, p, 4);
  memcpy(&lo, p + 4, 4);
  memcpy(&ns, p + 8, 4);
  struct timespec ts;
  ts.tv_sec = (time_t)(((uint64_t)ntohl(hi) << 32) | ntohl(lo));
  ts.tv_nsec = (long)ntohl(ns);
  if (clock_settime(CLOCK_REALTIME, &ts) < 0) die("clock_settime: %s", strerror(errno));
  send_frame(F_CLOCK_ACK, 0, p, len);
}

/* Frames from the host, reassembled from however the port splits them. */
static unsigned char inbuf[HEADER + MAX_PAYLOAD];
static size_t inlen;

/* Host bytes to a guest connection. Blocking: HTTP clients read their responses. A client that
 * has gone (EPIPE, ECONNRESET) ends the connection for the host too. */
static void write_conn(struct conn *c, const unsigned char *p, uint32_t len) {
  while (len > 0) {
    ssize_t n = write(c->fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EPIPE && errno != ECONNRESET) die("write to connection %u: %s", c->id, strerror(errno));
      if (c->read_open) send_frame(F_CLOSE, c->id, NULL, 0);
      drop_conn(c);
      return;
    }
    p += n;
    len -= (uint32_t)n;
  }
}

static void handle_frame(int type, uint32_t id, unsigned char *p, uint32_t len) {
  struct conn *c;
  switch (type) {
  case F_DATA:
    c = find_conn(id);
    if (c && c->write_open) write_conn(c, p, len);
    break;
  case F_CLOSE:
    c = find_conn(id);
    if (!c) break;
    c->write_open = 0;
    if (!c->read_open) drop_conn(c);
    else if (shutdown(c->fd, SHUT_WR) < 0 && errno != ENOTCONN) die("shutdown: %s", strerror(errno));
    break;
  case F_START:
    start_child((const char *)p, len);
    break;
  case F_CLOCK:
    set_clock(p, len);
    break;
  case F_SYNC:
    /* Frames are handled in order: every byte the host sent before this is in the guest's sockets. */
    send_frame(F_SYNC_ACK, id, NULL, 0);
    break;
  default:
    die("unknown frame type %d from the host", type);
  }
}

static void read_port(void) {
  ssize_t n = read(port, inbuf + inlen, sizeof inbuf - inlen);
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN) return;
    die("read port: %s", strerror(errno));
  }
  inlen += (size_t)n;
  for (;;) {
    if (inlen < HEADER) return;
    uint32_t nid, nlen;
    memcpy(&nid, inbuf + 1, 4);
    memcpy(&nlen, inbuf + 5, 4);
    uint32_t id = ntohl(nid), len = ntohl(nlen);
    if (len > MAX_PAYLOAD) die("frame of %u bytes from the host (at most %d)", len, MAX_PAYLOAD);
    if (inlen < HEADER + len) return;
    handle_frame(inbuf[0], id, inbuf + HEADER, len);
    memmove(inbuf, inbuf + HEADER + len, inlen - HEADER - len);
    inlen -= HEADER + len;
  }
}

static void read_conn(struct conn *c) {
  static char buf[MAX_PAYLOAD];
  /* MSG_DONTWAIT: poll's readiness may be stale (the connection was dropped and its slot or fd
   * number reused in this same round); the socket stays blocking for writes. */
  ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n > 0) {
    send_frame(F_DATA, c->id, buf, (uint32_t)n);
    return;
  }
  /* EOF or reset: the host sees the end of the guest's side. */
  send_frame(F_CLOSE, c->id, NULL, 0);
  c->read_open = 0;
  if (n < 0 || !c->write_open) drop_conn(c);
}

/* Returns 1 after forwarding bytes, 0 at EOF, -1 when nothing is there yet (non-blocking fd). */
static int read_log(int fd, uint32_t stream) {
  static char buf[MAX_PAYLOAD];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return -1;
  if (n < 0) die("read child output: %s", strerror(errno));
  if (n == 0) return 0;
  send_frame(F_LOG, stream, buf, (uint32_t)n);
  return 1;
}

static void reap(int sfd) {
  struct signalfd_siginfo si;
  ssize_t n = read(sfd, &si, sizeof si);
  if (n < 0 && errno != EAGAIN && errno != EINTR) die("read signalfd: %s", strerror(errno));
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid != child) continue;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    /* What the command wrote before it ended goes first. */
    while (child_out >= 0 && read_log(child_out, 1) == 1) {}
    while (child_err >= 0 && read_log(child_err, 2) == 1) {}
    uint32_t ncode = htonl((uint32_t)code);
    send_frame(F_EXIT, 0, &ncode, 4);
  }
  if (pid < 0 && errno != ECHILD) die("waitpid: %s", strerror(errno));
}

int main(int argc, char **argv) {
  if (argc != 4) die("usage: relay <argv-file> <env-file> <cwd-file>");
  cmd_argv = read_strings(argv[1]);
  if (!cmd_argv[0]) die("%s names no command", argv[1]);
  base_env = read_strings(argv[2]);
  char **cwd = read_strings(argv[3]);
  if (!cwd[0]) die("%s names no directory", argv[3]);
  cmd_cwd = cwd[0];
  for (int i = 0; i < MAX_CONNS; i++) conns[i].fd = -1;

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0) die("sigprocmask: %s", strerror(errno));
  int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sfd < 0) die("signalfd: %s", strerror(errno));
  if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) die("signal: %s", strerror(errno));

  port = open_port();
  int lfd = listen_tcp();
  send_frame(F_HELLO, 0, NULL, 0);

  struct pollfd pfd[MAX_CONNS + 5];
  struct conn *owner[MAX_CONNS + 5];
  for (;;) {
    int n = 0;
    pfd[n++] = (struct pollfd){port, POLLIN, 0};
    pfd[n++] = (struct pollfd){lfd, POLLIN, 0};
    pfd[n++] = (struct pollfd){sfd, POLLIN, 0};
    int out_i = -1, err_i = -1;
    if (child_out >= 0) { out_i = n; pfd[n++] = (struct pollfd){child_out, POLLIN, 0}; }
    if (child_err >= 0) { err_i = n; pfd[n++] = (struct pollfd){child_err, POLLIN, 0}; }
    int first_conn = n;
    for (int i = 0; i < MAX_CONNS; i++) {
      if (conns[i].fd >= 0 && conns[i].read_open) {
        owner[n] = &conns[i];
        pfd[n++] = (struct pollfd){conns[i].fd, POLLIN, 0};
      }
    }
    if (poll(pfd, (nfds_t)n, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll: %s", strerror(errno));
    }
    if (pfd[0].revents & POLLIN) read_port();
    else if (pfd[0].revents & (POLLHUP | POLLERR)) {
      /* No host on the port (between a snapshot and a clone's connect): wait, do not spin. */
      struct timespec ts = {0, 20 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
    if (pfd[1].revents & POLLIN) accept_conn(lfd);
    if (pfd[2].revents & POLLIN) reap(sfd);
    if (out_i >= 0 && pfd[out_i].revents) {
      if (read_log(child_out, 1) == 0) {
        if (close(child_out) < 0) die("close: %s", strerror(errno));
        child_out = -1;
      }
    }
    if (err_i >= 0 && pfd[err_i].revents) {
      if (read_log(child_err, 2) == 0) {
        if (close(child_err) < 0) die("close: %s", strerror(errno));
        child_err = -1;
      }
    }
    for (int i = first_conn; i < n; i++)
      if (pfd[i].revents && owner[i]->fd >= 0 && owner[i]->read_open) read_conn(owner[i]);
  }
}
