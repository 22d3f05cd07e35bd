package dev.floatip;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
}
