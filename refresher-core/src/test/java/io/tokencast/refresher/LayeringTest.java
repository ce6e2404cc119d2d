package io.tokencast.refresher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * refresher-core is the refresh engine in plain Java: no Spring, no Kafka or Redis client (those are
 * refresher-service's adapters behind the core's ports), no package cycles, and nothing from the modules above.
 */
@AnalyzeClasses(packages = "io.tokencast.refresher", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule noSpring = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework..")
            .because("the engine runs without a Spring context; refresher-service wires it");

    @ArchTest
    static final ArchRule portsNotClients = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.kafka..", "io.lettuce..", "net.javacrumbs.shedlock..")
            .because("Kafka, Redis and ShedLock sit behind the core's ports, in refresher-service's adapters");

    @ArchTest
    static final ArchRule noServicePackages = noClasses()
            .should()
            .resideInAPackage("io.tokencast.refresher.service..")
            .because("io.tokencast.refresher.service.. is refresher-service's: its composition root, its side of"
                    + " a core feature (adapters and wiring) and its own features");

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.tokencast.refresher.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule dependsOnlyDownward = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.tokencast.consumer..",
                    "io.tokencast.cli..",
                    "io.tokencast.testkit..",
                    "io.tokencast.sidecar..",
                    "io.tokencast.wxjava..",
                    "io.tokencast.demo..",
                    "io.tokencast.benchmarks..")
            .because("modules depend only downward: schemas, trust <- refresher-core <- refresher-service");
}
