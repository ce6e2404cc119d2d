package io.tokencast.consumer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The consumer core is what every service embeds: kafka-clients and the schemas, nothing that would choose a
 * framework for the service. Spring lives in token-consumer-spring-boot-starter.
 */
@AnalyzeClasses(packages = "io.tokencast.consumer", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule noFramework = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "io.micrometer..", "io.lettuce..", "redis..")
            .because("services embed the core whatever framework they use; the starter holds the Spring wiring");

    @ArchTest
    static final ArchRule dependsOnNothingAbove = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tokencast.refresher..", "io.tokencast.cli..", "io.tokencast.testkit..")
            .because("a service never carries the refresher, the operator CLI or test infrastructure");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.tokencast.consumer.(*)..")
            .should()
            .beFreeOfCycles()
            .allowEmptyShould(true);
}
