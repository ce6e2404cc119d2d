package io.tokencast.refresher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The refresher's features (policy, wechat, store, publish, refresh, admin, openplatform, ...), those of
 * refresher-core included, form a graph without cycles; the wiring that needs several of them sits in this root
 * package. refresher-core's own LayeringTest keeps Spring out of the engine.
 */
@AnalyzeClasses(packages = "io.tokencast.refresher", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.tokencast.refresher.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule featuresDoNotReachIntoTheWiring = noClasses()
            .that()
            .resideInAPackage("io.tokencast.refresher.*..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tokencast.refresher")
            .because("the root package is the composition root: it depends on the features, never the reverse");

    @ArchTest
    static final ArchRule neverAConsumer = noClasses()
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
            .because("the refresher is no token consumer, modules depend only downward, and production jars carry"
                    + " no test infrastructure");
}
