#!/usr/bin/env python3
"""Fleet speed benchmark: orchestrator vs Ansible vs plain OpenSSH, side by side, on loopback.

What it does (issue #6):
  1. Installs openssh-server and ansible from Debian's packages when missing, starts its own sshd
     processes (own config and host key, never the system's) serving N "hosts" = 127.0.0.2 ...
     127.0.0.(N+1) on one port, at most 16 addresses per sshd process. Every host has its own home
     (sshd's SetEnv HOME per address) with Debian's default .bashrc. A client key and a real
     known_hosts (ssh-keyscan) are generated: host-key checking stays on for every tool.
  2. Runs the same 10-step workload per host with each tool:
       orchestrator  `orchestrator run` (checkpoints on: every step durably journaled)
       orchestrator-ansible  the same, running Ansible's own play.yml (the 10 steps as one play)
                     with the same hosts.ini as ansible-playbook: the "ansible-format" workload
       ansible       ansible-playbook, pipelining + ControlPersist + no compression, same forks
       ssh-cm        the baseline: one ssh ControlMaster per host, 10 ssh execs in order,
                     `xargs -P FORKS` over hosts
       ssh-floor     one ssh exec per host running all 10 steps (the physical floor)
       orchestrator-pg   `orchestrator run` with the PostgreSQL state store (issue #15): a throwaway
                     cluster of Debian's PostgreSQL started by the benchmark on loopback (run as
                     `nobody`), one database for all repetitions
       orchestrator-2c   the same run on PostgreSQL with a second controller joined
                     (`orchestrator worker`, same --forks): two controllers share the batches
     Every ssh client uses the key exchange that orchestrator's client (sshj) negotiates, read off
     sshd's log, so that like is compared with like.
  3. Alternates the tools (A B C D A B C D ...), wipes the hosts between repetitions and checks
     every host's end state after each run.
  4. Prints medians of wall seconds, controller CPU seconds (user+sys of the tool's whole process
     tree, ssh clients included) and peak RSS of the controller (summed over its process tree,
     sampled every 50 ms), plus the ratios, as a table and as JSON.

Usage: bench/fleet.py [--hosts 10,50,100] [--reps 3] [--forks 50] [--tools ...] [--json FILE]
       bench/fleet.py --tools orchestrator,orchestrator-base --baseline-jar OLD/target/orchestrator.jar
         (before/after a change, side by side: OLD is a clone built at the base commit)
Only loopback is used. Needs root for apt-get (if packages are missing) and for /run/sshd.
"""

import argparse
import ctypes
import json
import os
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
PORT = 2222
PER_SSHD = 16  # OpenSSH listens on at most 16 addresses per process (MAX_LISTEN_SOCKS)

# The workload: 10 cheap, ordered shell steps emulating an update. Each tool runs exactly these
# strings on each host; $HOME is the host's own folder.
STEPS = [
    ("mkdir", 'mkdir -p "$HOME/site/app" "$HOME/site/backup" "$HOME/site/release"'),
    ("write", 'seq 1 5000 > "$HOME/site/release/payload" && echo "version 2.0" > "$HOME/site/release/VERSION"'),
    ("checksum", 'cd "$HOME/site/release" && sha256sum payload VERSION > SHA256SUMS'),
    ("verify", 'cd "$HOME/site/release" && sha256sum -c --quiet SHA256SUMS'),
    ("backup", 'cp -a "$HOME/site/app/." "$HOME/site/backup/"'),
    ("install", 'cp "$HOME/site/release/payload" "$HOME/site/release/VERSION" "$HOME/site/app/"'),
    ("grep", 'grep -q "^version 2.0$" "$HOME/site/app/VERSION"'),
    ("marker", 'date +%s > "$HOME/site/app/.installed"'),
    ("restart", 'echo restarted > "$HOME/site/app/service.state"'),
    ("health", 'test -s "$HOME/site/app/.installed" && grep -qx restarted "$HOME/site/app/service.state" && test "$(wc -l < "$HOME/site/app/payload")" -eq 5000'),
]

ALL_TOOLS = ["orchestrator", "orchestrator-ansible", "ansible", "ssh-cm", "ssh-floor"]
EXTRA_TOOLS = ["orchestrator-exec", "orchestrator-base", "orchestrator-pg", "orchestrator-2c"]


class Postgres:
    """A throwaway PostgreSQL cluster (Debian's binaries) on 127.0.0.1, run as `nobody`."""

    def __init__(self, work):
        import glob
        import socket
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            run(["apt-get", "install", "-y", "-qq", "postgresql"], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
            bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        self.bin = os.path.dirname(bins[-1])
        self.dir = os.path.join(work, "postgres")
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)
        self.password = "bench-" + os.urandom(6).hex()
        with open(os.path.join(self.dir, "pw"), "w") as f:
            f.write(self.password + "\n")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        shutil.chown(self.dir, "nobody")
        shutil.chown(os.path.join(self.dir, "pw"), "nobody")
        self.as_nobody([f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-U", "postgres",
                        f"--pwfile={self.dir}/pw", "--auth=scram-sha-256", "--no-locale", "-E", "UTF8"])
        self.as_nobody([f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w",
                        "-o", f"-k {self.dir} -c listen_addresses=127.0.0.1 -p {self.port}", "start"])
        env = dict(os.environ, PGPASSWORD=self.password, PGHOST="127.0.0.1", PGPORT=str(self.port),
                   PGUSER="postgres")
        run(["psql", "-X", "-q", "-c", f"CREATE ROLE bench LOGIN PASSWORD '{self.password}'"], env=env)
        run(["psql", "-X", "-q", "-c", "CREATE DATABASE orchestrator OWNER bench"], env=env)
        self.url = f"postgresql://bench@127.0.0.1:{self.port}/orchestrator"

    def as_nobody(self, cmd):
        run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] + cmd,
            stdout=subprocess.DEVNULL)

    def env(self):
        return {"ORCHESTRATOR_STATE": self.url, "PGPASSWORD": self.password}

    def stop(self):
        self.as_nobody([f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop"])


postgres = None


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


# ---------------------------------------------------------------------------------------------
# Set-up
# ---------------------------------------------------------------------------------------------

def ensure_packages():
    missing = [p for p, exe in (("openssh-server", "/usr/sbin/sshd"), ("openssh-client", "/usr/bin/ssh-keyscan"),
                                ("ansible", "ansible-playbook")) if not shutil.which(exe)]
    if not missing:
        return
    log(f"installing {' '.join(missing)} from Debian's packages")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(sudo + ["apt-get", "install", "-y", "-q"] + missing, env=env).returncode != 0:
        run(sudo + ["apt-get", "update", "-q"], env=env)
        run(sudo + ["apt-get", "install", "-y", "-q"] + missing, env=env)


def address(i):
    """Host i (0-based) -> 127.0.0.2 ... (wrapping into 127.0.1.x beyond 253 hosts)."""
    n = i + 2
    return f"127.0.{n // 256}.{n % 256}" if n % 256 not in (0, 255) else None


def addresses(count):
    out, i = [], 0
    while len(out) < count:
        a = address(i)
        if a:
            out.append(a)
        i += 1
    return out


class Fleet:
    """The sshd processes and the hosts' homes, under WORK."""

    def __init__(self, work, count):
        self.work = work
        self.count = count
        self.addrs = addresses(count)
        self.names = [f"h{i + 1:04d}" for i in range(count)]
        self.homes = {n: os.path.join(work, "homes", n) for n in self.names}
        self.key = os.path.join(work, "client_key")
        self.known_hosts = os.path.join(work, "known_hosts")
        self.pids = []

    def start(self):
        os.makedirs(self.work, exist_ok=True)
        os.makedirs("/run/sshd", exist_ok=True)
        host_key = os.path.join(self.work, "host_key")
        for k in (host_key, self.key):
            if not os.path.exists(k):
                run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k])
        shutil.copy(self.key + ".pub", os.path.join(self.work, "authorized_keys"))
        for n in self.names:
            os.makedirs(self.homes[n], exist_ok=True)
            if os.path.exists("/etc/skel/.bashrc"):
                shutil.copy("/etc/skel/.bashrc", os.path.join(self.homes[n], ".bashrc"))
        for chunk in range(0, self.count, PER_SSHD):
            part = list(zip(self.addrs, self.names))[chunk:chunk + PER_SSHD]
            cfg = os.path.join(self.work, f"sshd_{chunk // PER_SSHD:03d}.conf")
            pidfile = cfg + ".pid"
            with open(cfg, "w") as f:
                f.write(f"Port {PORT}\n")
                for a, _ in part:
                    f.write(f"ListenAddress {a}\n")
                f.write(
                    f"HostKey {host_key}\nPidFile {pidfile}\n"
                    f"AuthorizedKeysFile {self.work}/authorized_keys\n"
                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
                    "PermitRootLogin prohibit-password\nStrictModes no\nUseDNS no\n"
                    "MaxStartups 10000\nMaxSessions 1000\nLogLevel DEBUG1\n"
                    f"Subsystem sftp internal-sftp\n")
                for a, n in part:
                    f.write(f"Match LocalAddress {a}\n  SetEnv HOME={self.homes[n]}\n")
            # sshd daemonizes: it is not a child of this process, so it never counts as controller.
            run(["/usr/sbin/sshd", "-f", cfg, "-E", cfg + ".log"])
            for _ in range(100):
                if os.path.exists(pidfile):
                    break
                time.sleep(0.05)
            self.pids.append(int(open(pidfile).read().strip()))
        # LogLevel DEBUG1 only for the key-exchange probe; quiet afterwards would need a restart,
        # and the log lines cost the same for every tool.
        with open(self.known_hosts, "w") as f:
            for chunk in range(0, self.count, 200):
                out = subprocess.run(["ssh-keyscan", "-T", "10", "-t", "ed25519", "-p", str(PORT)]
                                     + self.addrs[chunk:chunk + 200], capture_output=True, text=True)
                f.write(out.stdout)
        lines = sum(1 for _ in open(self.known_hosts))
        if lines != self.count:
            raise SystemExit(f"ssh-keyscan found {lines} of {self.count} hosts; see {self.work}/sshd_*.log")
        log(f"{self.count} hosts up on {len(self.pids)} sshd processes, port {PORT}")

    def stop(self):
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def wipe(self, names):
        for n in names:
            shutil.rmtree(os.path.join(self.homes[n], "site"), ignore_errors=True)
            shutil.rmtree(os.path.join(self.homes[n], ".orchestrator"), ignore_errors=True)
            shutil.rmtree(os.path.join(self.homes[n], ".ansible"), ignore_errors=True)

    def verify(self, names):
        """Checks every host's end state; returns the hosts that are wrong."""
        bad = []
        for n in names:
            app = os.path.join(self.homes[n], "site", "app")
            try:
                ok = (open(os.path.join(app, "VERSION")).read() == "version 2.0\n"
                      and open(os.path.join(app, "service.state")).read() == "restarted\n"
                      and os.path.getsize(os.path.join(app, ".installed")) > 0
                      and sum(1 for _ in open(os.path.join(app, "payload"))) == 5000
                      and os.path.exists(os.path.join(self.homes[n], "site", "release", "SHA256SUMS")))
            except OSError:
                ok = False
            if not ok:
                bad.append(n)
        return bad

    def negotiated_kex(self):
        """The key exchange sshd agreed on with the most recent client (from the sshd logs)."""
        found = None
        for pid_idx in range(len(self.pids)):
            path = os.path.join(self.work, f"sshd_{pid_idx:03d}.conf.log")
            if os.path.exists(path):
                for line in open(path, errors="replace"):
                    if "kex: algorithm:" in line:
                        found = line.split("kex: algorithm:")[1].split()[0]
        return found

    def truncate_logs(self):
        for pid_idx in range(len(self.pids)):
            path = os.path.join(self.work, f"sshd_{pid_idx:03d}.conf.log")
            if os.path.exists(path):
                open(path, "w").close()


# ---------------------------------------------------------------------------------------------
# The tools
# ---------------------------------------------------------------------------------------------

def yq(s):
    return json.dumps(s)  # a JSON string is a valid YAML double-quoted scalar


def write_inputs(fleet, n, forks, kex, work):
    d = os.path.join(work, f"n{n}")
    os.makedirs(d, exist_ok=True)
    names, addrs = fleet.names[:n], fleet.addrs[:n]
    # orchestrator
    with open(os.path.join(d, "inventory.yml"), "w") as f:
        f.write(f"all:\n  vars:\n    user: {os.environ.get('USER', 'root')}\n    port: {PORT}\n"
                f"    private_key_file: {fleet.key}\n  hosts:\n")
        for name, a in zip(names, addrs):
            f.write(f"    {name}:\n      ansible_host: {a}\n")
    with open(os.path.join(d, "playbook.yml"), "w") as f:
        # --gather-facts: each host's facts are gathered first (gather_facts, issue 24)
        f.write("name: bench-update\n" + ("gather_facts: true\n" if GATHER_FACTS else "") + "steps:\n")
        for sid, cmd in STEPS:
            f.write(f"  - id: {sid}\n    shell: {yq(cmd)}\n")
    # ansible
    user = os.environ.get("USER", "root")
    with open(os.path.join(d, "hosts.ini"), "w") as f:
        f.write("[bench]\n")
        for name, a in zip(names, addrs):
            f.write(f"{name} ansible_host={a}\n")
        f.write(f"[bench:vars]\nansible_port={PORT}\nansible_user={user}\n"
                f"ansible_ssh_private_key_file={fleet.key}\nansible_python_interpreter=/usr/bin/python3\n")
    with open(os.path.join(d, "ansible.cfg"), "w") as f:
        f.write(f"[defaults]\nforks = {forks}\nhost_key_checking = True\ngathering = explicit\n"
                "retry_files_enabled = False\ninterpreter_python = /usr/bin/python3\n"
                f"local_tmp = {d}/ansible-local\n"
                "[ssh_connection]\npipelining = True\n"
                f"control_path_dir = {d}/cp\n"
                f"ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o Compression=no "
                f"-o UserKnownHostsFile={fleet.known_hosts} -o StrictHostKeyChecking=yes"
                + (f" -o KexAlgorithms={kex}" if kex else "") + "\n")
    with open(os.path.join(d, "play.yml"), "w") as f:
        f.write("- hosts: bench\n  gather_facts: false\n  tasks:\n")
        for sid, cmd in STEPS:
            f.write(f"    - name: {sid}\n      ansible.builtin.shell: {yq(cmd)}\n")
    # plain ssh
    ssh_opts = (f"-i {fleet.key} -p {PORT} -o BatchMode=yes -o UserKnownHostsFile={fleet.known_hosts} "
                f"-o StrictHostKeyChecking=yes -o Compression=no" + (f" -o KexAlgorithms={kex}" if kex else ""))
    with open(os.path.join(d, "addrs"), "w") as f:
        f.write("\n".join(addrs) + "\n")
    with open(os.path.join(d, "ssh-cm.sh"), "w") as f:
        f.write("#!/bin/sh\n# One ControlMaster connection to host $1, then the 10 steps as 10 execs over it.\n"
                f"set -e\ncp={d}/cm-$1\n"
                f"ssh {ssh_opts} -o ControlMaster=yes -o ControlPath=$cp -o ControlPersist=yes -fN {user}@$1\n"
                "trap 'ssh -o ControlPath=$cp -O exit x 2>/dev/null' EXIT\n")
        for _, cmd in STEPS:
            f.write(f"ssh {ssh_opts} -o ControlMaster=no -o ControlPath=$cp {user}@$1 {shlex.quote(cmd)}\n")
    with open(os.path.join(d, "ssh-floor.sh"), "w") as f:
        f.write("#!/bin/sh\n# One exec per host running all 10 steps in order.\n"
                f"exec ssh {ssh_opts} {user}@$1 {shlex.quote('set -e; ' + '; '.join(c for _, c in STEPS))}\n")
    return d


def command_for(tool, d, forks, state):
    if tool == "orchestrator-base":
        # the same launcher running the baseline jar (--baseline-jar): before/after in one run
        cmd, _ = command_for("orchestrator", d, forks, state)
        return cmd, {"ORCHESTRATOR_JAR": baseline_jar}
    if tool == "orchestrator-pg":
        cmd, _ = command_for("orchestrator", d, forks, state)
        return cmd, postgres.env()
    if tool == "orchestrator-2c":
        # a worker joins every running run of the database; it is stopped once the run has ended
        cmd, _ = command_for("orchestrator", d, forks, state)
        launcher = os.path.join(PROJECT, "orchestrator")
        worker = [launcher, "worker", "--max-hosts", str(forks), "--known-hosts", fleet_known_hosts,
                  "--state-dir", state + "-worker"]
        script = (f"{' '.join(map(shlex.quote, worker))} > {shlex.quote(state)}-worker.log 2>&1 & w=$!; "
                  f"{' '.join(map(shlex.quote, cmd))}; rc=$?; kill -TERM $w; wait $w; exit $rc")
        return ["sh", "-c", script], postgres.env()
    if tool == "orchestrator":
        return [os.path.join(PROJECT, "orchestrator"), "run", f"{d}/playbook.yml", "-i", f"{d}/inventory.yml",
                "--forks", str(forks), "--known-hosts", fleet_known_hosts, "--state-dir", state], {}
    if tool == "orchestrator-ansible":
        # the "ansible-format" workload: Ansible's own play.yml and hosts.ini, read unchanged (issue 25)
        return [os.path.join(PROJECT, "orchestrator"), "run", f"{d}/play.yml", "-i", f"{d}/hosts.ini",
                "--forks", str(forks), "--known-hosts", fleet_known_hosts, "--state-dir", state], {}
    if tool == "ansible":
        return ["ansible-playbook", "-i", f"{d}/hosts.ini", f"{d}/play.yml"], {"ANSIBLE_CONFIG": f"{d}/ansible.cfg"}
    script = f"{d}/{tool}.sh"
    return ["sh", "-c", f"xargs -P {forks} -n 1 sh {script} < {d}/addrs"], {}


fleet_known_hosts = None
baseline_jar = None
GATHER_FACTS = False


# ---------------------------------------------------------------------------------------------
# Measuring a process tree: wall, CPU (rusage of reaped descendants), peak RSS (sampled)
# ---------------------------------------------------------------------------------------------

PR_SET_CHILD_SUBREAPER = 36
PAGE = os.sysconf("SC_PAGE_SIZE")


def stop_leftovers(work):
    """Stops the sshd processes of an earlier benchmark in WORK that was killed before its clean-up."""
    import glob
    for pidfile in glob.glob(os.path.join(work, "sshd_*.conf.pid")):
        try:
            os.kill(int(open(pidfile).read().strip()), signal.SIGTERM)
        except (ValueError, OSError):
            pass
    pid = os.path.join(work, "postgres", "data", "postmaster.pid")
    if os.path.exists(pid):
        try:
            os.kill(int(open(pid).readline().strip()), signal.SIGTERM)
        except (ValueError, OSError):
            pass
    time.sleep(0.5)


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise SystemExit("prctl(PR_SET_CHILD_SUBREAPER) failed")


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    kids = [int(x) for x in f.read().split()]
                out.extend(kids)
                todo.extend(kids)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return out


def tree_rss():
    total = 0
    for p in descendants(os.getpid()):
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total


def measure(cmd, env_extra, out_path):
    stop = threading.Event()
    peak = [0]

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss())
            stop.wait(0.05)

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler = threading.Thread(target=sample, daemon=True)
    with open(out_path, "w") as out:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ, **env_extra),
                                cwd=PROJECT)
        sampler.start()
        rc = proc.wait()
        wall = time.monotonic() - start
    stop.set()
    sampler.join()
    # Leftovers (Ansible's ControlPersist masters) are part of the controller's cost: end and reap them.
    for p in descendants(os.getpid()):
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                time.sleep(0.05)
        except ChildProcessError:
            break
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rc, wall, cpu, peak[0]


# ---------------------------------------------------------------------------------------------

def main():
    global fleet_known_hosts, baseline_jar, postgres, GATHER_FACTS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", default="10,50,100", help="comma-separated host counts (default 10,50,100)")
    ap.add_argument("--reps", type=int, default=3, help="repetitions per tool and host count (default 3)")
    ap.add_argument("--forks", type=int, default=50)
    ap.add_argument("--tools", default=",".join(ALL_TOOLS), help="comma-separated, from " + ",".join(ALL_TOOLS))
    ap.add_argument("--work", default="/tmp/orchestrator-bench", help="scratch folder (wiped)")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    ap.add_argument("--orchestrator-opts", default="", help="extra words for `orchestrator run`")
    ap.add_argument("--java-opts", default=None, help="ORCHESTRATOR_JAVA_OPTS for the runs")
    ap.add_argument("--gather-facts", action="store_true",
                    help="orchestrator's playbook says gather_facts: true (not for orchestrator-base before issue 24)")
    ap.add_argument("--baseline-jar", default=None,
                    help="an orchestrator.jar (with lib/ beside it) built from another commit; the tool "
                         "orchestrator-base runs it, so that before/after are measured side by side")
    args = ap.parse_args()
    GATHER_FACTS = args.gather_facts
    counts = [int(x) for x in args.hosts.split(",")]
    tools = args.tools.split(",")
    for t in tools:
        if t not in ALL_TOOLS + EXTRA_TOOLS:
            raise SystemExit(f"unknown tool {t}; choose from {ALL_TOOLS + EXTRA_TOOLS}")

    ensure_packages()
    log("building orchestrator (if needed)")
    run([os.path.join(PROJECT, "orchestrator"), "--version"], stdout=subprocess.DEVNULL,
        env=dict(os.environ, ORCHESTRATOR_JAR=""))
    stop_leftovers(args.work)
    shutil.rmtree(args.work, ignore_errors=True)
    # Run a snapshot of the jar: editing the sources during a benchmark must not trigger a build.
    app = os.path.join(args.work, "app")
    os.makedirs(app)
    shutil.copy(os.path.join(PROJECT, "target", "orchestrator.jar"), app)
    shutil.copytree(os.path.join(PROJECT, "target", "lib"), os.path.join(app, "lib"))
    os.environ["ORCHESTRATOR_JAR"] = os.path.join(app, "orchestrator.jar")
    if "orchestrator-base" in tools:
        if args.gather_facts:
            raise SystemExit("--gather-facts cannot be compared with orchestrator-base")
        if not args.baseline_jar:
            raise SystemExit("the tool orchestrator-base needs --baseline-jar FILE")
        base = os.path.join(args.work, "base")
        os.makedirs(base)
        shutil.copy(args.baseline_jar, base)
        shutil.copytree(os.path.join(os.path.dirname(os.path.abspath(args.baseline_jar)), "lib"),
                        os.path.join(base, "lib"))
        baseline_jar = os.path.join(base, os.path.basename(args.baseline_jar))
    if any(t in ("orchestrator-pg", "orchestrator-2c") for t in tools):
        postgres = Postgres(args.work)
        log(f"PostgreSQL state store: {postgres.url}")
    fleet = Fleet(args.work, max(counts))
    fleet_known_hosts = fleet.known_hosts
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops the fleet
    fleet.start()
    become_subreaper()
    results = []
    try:
        # Which key exchange does orchestrator's client negotiate? Probe one host, read sshd's log.
        fleet.truncate_logs()
        probe = write_inputs(fleet, 1, 1, None, args.work)
        cmd, env = command_for("orchestrator", probe, 1, os.path.join(args.work, "probe-state"))
        run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT)
        kex = fleet.negotiated_kex()
        log(f"orchestrator's client negotiates {kex}; every ssh client is given the same")
        fleet.wipe(fleet.names[:1])
        for n in counts:
            d = write_inputs(fleet, n, args.forks, kex, args.work)
            names = fleet.names[:n]
            for rep in range(args.reps):
                for tool in tools:
                    fleet.wipe(names)
                    fleet.truncate_logs()
                    # a fresh state folder per run, kept: deleting thousands of files just before
                    # a run makes the file system's inode allocation slower for the next one
                    state = os.path.join(d, f"state-{tool}-{rep}")
                    cmd, env = command_for("orchestrator" if tool == "orchestrator-exec" else tool, d, args.forks, state)
                    if tool in ("orchestrator-base", "orchestrator-pg", "orchestrator-2c"):
                        cmd, env = command_for(tool, d, args.forks, state)
                    if tool.startswith("orchestrator") and tool != "orchestrator-2c":
                        cmd += args.orchestrator_opts.split()
                        if tool == "orchestrator-exec":
                            cmd += ["--ssh-exec-per-step"]
                        if args.java_opts is not None:
                            env["ORCHESTRATOR_JAVA_OPTS"] = args.java_opts
                    out = os.path.join(d, f"{tool}.{rep}.out")
                    rc, wall, cpu, rss = measure(cmd, env, out)
                    bad = fleet.verify(names)
                    ok = rc == 0 and not bad
                    log(f"n={n} rep={rep + 1} {tool:13s} wall {wall:7.2f} s  cpu {cpu:7.2f} s  "
                        f"rss {rss / 2**20:7.1f} MiB  {'ok' if ok else f'FAILED rc={rc} bad={len(bad)} ({out})'}")
                    results.append(dict(hosts=n, rep=rep + 1, tool=tool, wall_s=round(wall, 3),
                                        cpu_s=round(cpu, 3), peak_rss_mib=round(rss / 2**20, 1), ok=ok))
    finally:
        fleet.stop()
        if postgres:
            postgres.stop()

    summary = summarize(results, counts, tools)
    print_table(summary, kex, args)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(dict(forks=args.forks, reps=args.reps, steps=len(STEPS), kex=kex, cores=os.cpu_count(),
                           date=time.strftime("%Y-%m-%d"), summary=summary, runs=results), f, indent=2)
        log(f"JSON written to {args.json}")
    return 0 if all(r["ok"] for r in results) else 1


def summarize(results, counts, tools):
    out = []
    for n in counts:
        row = {"hosts": n}
        for t in tools:
            rs = [r for r in results if r["hosts"] == n and r["tool"] == t]
            if not rs:
                continue
            row[t] = dict(wall_s=round(statistics.median(r["wall_s"] for r in rs), 2),
                          cpu_s=round(statistics.median(r["cpu_s"] for r in rs), 2),
                          peak_rss_mib=round(statistics.median(r["peak_rss_mib"] for r in rs), 1),
                          all_ok=all(r["ok"] for r in rs))
        o = row.get("orchestrator")
        for base in ("ansible", "ssh-cm", "ssh-floor", "orchestrator-exec"):
            if o and base in row:
                row[f"orchestrator/{base}"] = round(o["wall_s"] / row[base]["wall_s"], 3)
        out.append(row)
    return out


def print_table(summary, kex, args):
    print(f"\nmedians of {args.reps} runs, {len(STEPS)} steps per host, forks {args.forks}, "
          f"{os.cpu_count()} cores, key exchange {kex}")
    print(f"{'hosts':>6} {'tool':18} {'wall s':>8} {'cpu s':>8} {'peak RSS MiB':>13} {'ok':>4}")
    for row in summary:
        for t, v in row.items():
            if isinstance(v, dict):
                print(f"{row['hosts']:>6} {t:18} {v['wall_s']:>8.2f} {v['cpu_s']:>8.2f} {v['peak_rss_mib']:>13.1f} "
                      f"{'yes' if v['all_ok'] else 'NO':>4}")
        ratios = [f"{k} = {v:.3f}" for k, v in row.items() if k.startswith("orchestrator/")]
        if ratios:
            print(f"{'':>6} wall ratios: " + ", ".join(ratios))


if __name__ == "__main__":
    sys.exit(main())
