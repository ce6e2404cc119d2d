package io.tokencast.schema;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The schemas module is the bottom layer: plain Java and Jackson, read by every other module. */
@AnalyzeClasses(packages = "io.tokencast.schema", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule plainJava = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "org.apache.kafka..", "io.micrometer..", "io.lettuce..")
            .because("the records and their codec are shared by Kafka and Redis readers in any framework");

    @ArchTest
    static final ArchRule dependsOnNothingAbove = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.tokencast.consumer..",
                    "io.tokencast.refresher..",
                    "io.tokencast.cli..",
                    "io.tokencast.testkit..")
            .because("modules depend only downward: schemas <- token-consumer-lib <- refresher-service");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.tokencast.schema.(*)..")
            .should()
            .beFreeOfCycles()
            .allowEmptyShould(true);
}
