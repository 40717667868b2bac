package dev.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The package rules of README.md ("Architecture"), enforced. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.orchestrator");

  @Test
  void noPackageCycles() {
    slices().matching("dev.orchestrator.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void onlyCliKnowsPicocli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.orchestrator.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("picocli..")
        .check(CLASSES);
  }

  /**
   * Exit codes are the CLI's edge: the layers below report an {@code ErrorKind} (or an outcome),
   * mapped to an exit code once, in {@code cli.ExitCode.of}; the web console maps the same kinds to
   * HTTP statuses.
   */
  @Test
  void onlyCliKnowsExitCodes() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.orchestrator.cli..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.orchestrator.cli.ExitCode")
        .check(CLASSES);
  }

  @Test
  void onlyTransportSshKnowsSshj() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.orchestrator.transport.ssh..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("net.schmizz..", "com.hierynomus..")
        .check(CLASSES);
  }

  @Test
  void onlyTheReportPackageDrawsOnTheTerminal() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.orchestrator.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.jline..")
        .check(CLASSES);
  }

  @Test
  void onlySandboxKnowsMinaSshd() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.orchestrator.sandbox..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.sshd..")
        .check(CLASSES);
  }

  /**
   * No I/O, no clock, no threads, no randomness: the same inputs give the same answer, so the plan
   * and the rollout's decisions are unit-testable without files, hosts or waiting.
   */
  private static void pure(String... packages) {
    noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.io..",
            "java.net..",
            "java.nio.file..",
            "java.nio.channels..",
            "java.util.concurrent..")
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(
            java.time.Clock.class,
            Thread.class,
            java.util.Random.class,
            java.security.SecureRandom.class,
            ProcessHandle.class,
            ProcessBuilder.class)
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .check(CLASSES);
  }

  @Test
  void thePlanIsPure() {
    noClasses()
        .that()
        .resideInAPackage("dev.orchestrator.plan..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.orchestrator.execute..",
            "dev.orchestrator.transport..",
            "dev.orchestrator.report..",
            "dev.orchestrator.cli..",
            "java.io..",
            "java.net..")
        .check(CLASSES);
    // it reads a run's state as a snapshot, never the store that loads or writes it
    noClasses()
        .that()
        .resideInAPackage("dev.orchestrator.plan..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(
            dev.orchestrator.state.RunStore.class,
            dev.orchestrator.state.RunJournal.class,
            dev.orchestrator.state.PrivateFiles.class)
        .check(CLASSES);
    pure("dev.orchestrator.plan..");
  }

  @Test
  void theRolloutIsPure() {
    noClasses()
        .that()
        .resideInAPackage("dev.orchestrator.rollout..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.orchestrator.plan..",
            "dev.orchestrator.execute..",
            "dev.orchestrator.transport..",
            "dev.orchestrator.report..",
            "dev.orchestrator.state..",
            "dev.orchestrator.cli..")
        .check(CLASSES);
    pure("dev.orchestrator.rollout..");
  }

  @Test
  void theTransportKnowsNoInventory() {
    noClasses()
        .that()
        .resideInAPackage("dev.orchestrator.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.orchestrator.inventory..", "dev.orchestrator.playbook..")
        .check(CLASSES);
  }

  @Test
  void parsingNeverConnects() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.orchestrator.playbook..",
            "dev.orchestrator.inventory..",
            "dev.orchestrator.template..",
            "dev.orchestrator.yaml..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.orchestrator.transport..",
            "dev.orchestrator.execute..",
            "dev.orchestrator.state..",
            "dev.orchestrator.plan..")
        .check(CLASSES);
  }

  @Test
  void theExecutorNeverPrintsAndNeverPlans() {
    noClasses()
        .that()
        .resideInAPackage("dev.orchestrator.execute..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.orchestrator.execute..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.orchestrator.plan.Planner")
        .check(CLASSES);
  }

  /**
   * The web console reaches the engine only through the application service, as the CLI does (issue
   * 16: "every action goes through the same service as the CLI").
   */
  @Test
  void appIsTheOnlyEntryIntoTheEngineFromTheWebConsole() {
    onlyThroughApp("dev.orchestrator.web..", "dev.orchestrator.cli..", "picocli..")
        .orShould()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }

  /**
   * Classes of {@code pkg} may use the values the service returns and the report renderers, never
   * the executor, transports, loaders, planner or the state store's writers, nor {@code also}.
   */
  private static com.tngtech.archunit.lang.syntax.elements.ClassesShouldConjunction onlyThroughApp(
      String pkg, String... also) {
    List<String> forbidden =
        new java.util.ArrayList<>(
            List.of(
                "dev.orchestrator.execute..",
                "dev.orchestrator.transport..",
                "dev.orchestrator.artifact.."));
    forbidden.addAll(List.of(also));
    return noClasses()
        .that()
        .resideInAPackage(pkg)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden.toArray(String[]::new))
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.orchestrator.playbook.PlaybookLoader")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.orchestrator.plan.Planner")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.orchestrator.state.RunStore")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.orchestrator.state.RunJournal")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.orchestrator.inventory.InventoryLoader");
  }

  /** The HTTP server and the password hashing stay in the web console. */
  @Test
  void onlyTheWebConsoleUsesJavalinAndPassword4j() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.orchestrator.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..", "com.password4j..", "io.github.bucket4j..", "org.eclipse.jetty..")
        .check(CLASSES);
  }

  /**
   * One template engine for the project's HTML, in one place: {@code report.Templates} (the run
   * report and, through it, the web console's pages).
   */
  @Test
  void onlyTemplatesUsesPebble() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.orchestrator.report.Templates")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.pebbletemplates..")
        .check(CLASSES);
  }

  /** Only the CLI (serve, users, sandbox --serve) starts the web console. */
  @Test
  void onlyTheCliDependsOnTheWebConsole() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.orchestrator.web..", "dev.orchestrator.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.orchestrator.web..")
        .check(CLASSES);
  }

  @Test
  void nothingButCliDependsOnCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.orchestrator.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.orchestrator.cli..")
        .check(CLASSES);
  }

  /**
   * The CLI reaches the engine only through the application service ({@code app}): it may use the
   * values the service returns (plans, run states, hosts) and the report renderers, never the
   * executor, transports, loaders, planner or the state store's writers.
   */
  @Test
  void appIsTheOnlyEntryIntoTheEngineFromCli() {
    onlyThroughApp("dev.orchestrator.cli..", "dev.orchestrator.yaml..").check(CLASSES);
  }

  @Test
  void appKnowsNeitherCliNorPicocli() {
    noClasses()
        .that()
        .resideInAPackage("dev.orchestrator.app..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.orchestrator.cli..", "picocli..")
        .orShould()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }

  /**
   * Commands write through picocli's {@code getOut()}/{@code getErr()} (tests and embedders pass
   * their own writers); only {@code Main} hands the process's streams to picocli.
   */
  @Test
  void commandsWriteThroughPicocli() {
    noClasses()
        .that()
        .resideInAPackage("dev.orchestrator.cli..")
        .and()
        .doNotHaveFullyQualifiedName("dev.orchestrator.cli.Main")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }

  /**
   * A command is a thin adapter over the service: it never sets another command's fields (the
   * sandbox builds its own requests instead of configuring {@code run} and {@code resume}).
   */
  @Test
  void commandsDoNotConfigureOtherCommands() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
        .that()
        .resideInAPackage("dev.orchestrator.cli..")
        .should(
            new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaClass>(
                "set no fields of other commands") {
              @Override
              public void check(
                  com.tngtech.archunit.core.domain.JavaClass c,
                  com.tngtech.archunit.lang.ConditionEvents events) {
                for (var access : c.getFieldAccessesFromSelf()) {
                  var owner = access.getTargetOwner();
                  if (access.getAccessType()
                          == com.tngtech.archunit.core.domain.JavaFieldAccess.AccessType.SET
                      && !owner.equals(c)
                      && owner.getSimpleName().endsWith("Command")) {
                    events.add(
                        com.tngtech.archunit.lang.SimpleConditionEvent.violated(
                            access, access.getDescription()));
                  }
                }
              }
            })
        .check(CLASSES);
  }
}
