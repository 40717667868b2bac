package dev.orchestrator.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An SSH {@code exec} request served by a real {@code /bin/sh -c COMMAND} process in the host's
 * home folder, as sshd would: the channel's input is the process's stdin, stdout and stderr are
 * streamed back, the exit code is returned, and the shell is killed when the channel closes.
 */
final class ShellCommand implements Command {
  private final String command;
  private final Path home;
  private InputStream in;
  private OutputStream out;
  private OutputStream err;
  private ExitCallback exit;
  private Process process;

  ShellCommand(String command, Path home) {
    this.command = command;
    this.home = home;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(home.toFile());
    Map<String, String> penv = pb.environment();
    penv.put("HOME", home.toString());
    env.getEnv()
        .forEach(
            (k, v) -> {
              if (k.matches("[A-Z_][A-Z0-9_]*") && !k.equals("PATH")) {
                penv.put(k, v);
              }
            });
    process = pb.start();
    Thread pump =
        new Thread(
            () -> {
              int rc = -1;
              try {
                Thread inPump =
                    new Thread(
                        () -> {
                          try (OutputStream stdin = process.getOutputStream()) {
                            copy(in, stdin);
                          } catch (IOException e) {
                            // the process ended: nothing more to give it
                          }
                        },
                        "sandbox-stdin");
                inPump.setDaemon(true);
                inPump.start();
                Thread errPump =
                    new Thread(() -> copy(process.getErrorStream(), err), "sandbox-stderr");
                errPump.setDaemon(true);
                errPump.start();
                copy(process.getInputStream(), out);
                rc = process.waitFor();
                errPump.join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                exit.onExit(rc);
              }
            },
            "sandbox-exec");
    pump.setDaemon(true);
    pump.start();
  }

  private static void copy(InputStream from, OutputStream to) {
    byte[] buf = new byte[8192];
    try (from) {
      int n;
      while ((n = from.read(buf)) >= 0) {
        to.write(buf, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // The channel closed or the process died: nothing more to copy.
    }
  }

  @Override
  public void destroy(ChannelSession channel) {
    // Like sshd when a channel closes: the shell goes, its children are left to finish (or die on
    // a closed pipe); a command detached with setsid survives, as on a real host.
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
