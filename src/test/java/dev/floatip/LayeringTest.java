package dev.floatip;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of DESIGN §3, checked on the compiled production classes. */
class LayeringTest {

  private static JavaClasses production;

  @BeforeAll
  static void importClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.floatip");
  }

  @Test
  void protocolCoreUsesOnlyTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.floatip.vrrp..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.floatip.vrrp..")
        .check(production);
  }

  @Test
  void processRunnerUsesOnlyTheJdkAndLogging() {
    classes()
        .that()
        .resideInAPackage("dev.floatip.process..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.floatip.process..", "org.jboss.logging..")
        .check(production);
  }

  @Test
  void apiTypesUseOnlyFabric8ModelAndJacksonAnnotations() {
    classes()
        .that()
        .resideInAPackage("dev.floatip.api..")
        .should()
        .onlyDependOnClassesThat(
            resideInAnyPackage(
                    "java..",
                    "dev.floatip.api..",
                    "io.fabric8.kubernetes.api.model..",
                    "io.fabric8.kubernetes.model.annotation..",
                    "io.fabric8.generator.annotation..",
                    "io.fabric8.crd.generator.annotation..",
                    "com.fasterxml.jackson.annotation..")
                .or(belongToAnyOf(CustomResource.class)))
        .check(production);
  }

  @Test
  void configIsSharedByOperatorAndAgentSoDependsOnNeither() {
    noClasses()
        .that()
        .resideInAPackage("dev.floatip.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.floatip.agent..",
            "dev.floatip.operator..",
            "dev.floatip.dataplane..",
            "dev.floatip.cli..")
        .check(production);
  }

  @Test
  void notifyIsWiredByTheAgentSoDependsOnNoRuntimePackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.floatip.notify..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.floatip.agent..",
            "dev.floatip.operator..",
            "dev.floatip.dataplane..",
            "dev.floatip.cli..")
        .check(production);
  }

  @Test
  void trackingUsesTheProtocolCoreDataplanePortsConfigAndTheProcessRunnerOnly() {
    classes()
        .that()
        .resideInAPackage("dev.floatip.tracking..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.floatip.tracking..",
            "dev.floatip.vrrp..",
            "dev.floatip.dataplane",
            "dev.floatip.config..",
            "dev.floatip.api..",
            "dev.floatip.process..",
            "io.fabric8.kubernetes.api.model..",
            "org.jboss.logging..")
        .check(production);
  }

  @Test
  void convertUsesOnlyTheApiConfigAndJackson() {
    classes()
        .that()
        .resideInAPackage("dev.floatip.convert..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.floatip.convert..",
            "dev.floatip.api..",
            "dev.floatip.config..",
            "com.fasterxml.jackson..")
        .check(production);
  }

  @Test
  void kubeHelpersAreSharedByOperatorAndAgentSoUseOnlyFabric8AndTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.floatip.kube..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.floatip.kube..",
            "io.fabric8.kubernetes.client..",
            "io.vertx.core",
            "org.jboss.logging..")
        .check(production);
  }

  @Test
  void onlyTheLinuxDataplaneTouchesJna() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.floatip.dataplane.linux..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.sun.jna..")
        .allowEmptyShould(true)
        .check(production);
  }

  @Test
  void operatorAndAgentDoNotImportEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.floatip.operator..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.floatip.agent..", "dev.floatip.dataplane..")
        .allowEmptyShould(true)
        .check(production);
    noClasses()
        .that()
        .resideInAPackage("dev.floatip.agent..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.floatip.operator..")
        .allowEmptyShould(true)
        .check(production);
  }

  @Test
  void theOperatorsModelDoesNotDependOnTheOperatorItself() {
    // the operator builds on its model; a dependency back would make the two packages a cycle
    noClasses()
        .that()
        .resideInAPackage("dev.floatip.operator.model..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.floatip.operator")
        .check(production);
  }
}
