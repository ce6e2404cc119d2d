package io.tokencast.refresher.service;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.partitioningBy;
import static java.util.stream.Collectors.toCollection;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.tokencast.refresher.refresh.Refresher;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The refresher's features (policy, wechat, store, publish, refresh, admin, openplatform, ...), those of
 * refresher-core included, form a graph without cycles. Every class of refresher-service is under
 * {@code io.tokencast.refresher.service}, so a class's package names its jar: the wiring that needs several
 * features sits in that package itself (the composition root), the service's side of a core feature (its Redis or
 * Kafka adapter, its Spring wiring) in {@code io.tokencast.refresher.service.<feature>}, and the service-only
 * features beside it ({@code …service.admin}, {@code …service.openplatform}, ...). No package is in both modules.
 * refresher-core's own LayeringTest keeps Spring out of the engine.
 */
@AnalyzeClasses(packages = "io.tokencast.refresher", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    // (**): every package its own slice, so service.store and service.publish count as two features
    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.tokencast.refresher.(**)").should().beFreeOfCycles();

    /** refresher-core's classes on the class path: its jar, or its classes folder. */
    private static final String CORE =
            Refresher.class.getProtectionDomain().getCodeSource().getLocation().toString();

    @ArchTest
    static void coreAndServiceShareNoPackage(JavaClasses classes) {
        Map<Boolean, Set<String>> packages = classes.stream()
                .collect(partitioningBy(
                        LayeringTest::inCore, mapping(JavaClass::getPackageName, toCollection(TreeSet::new))));
        assertThat(packages.get(true)).as("refresher-core's packages").isNotEmpty();
        Set<String> shared = new TreeSet<>(packages.get(true));
        shared.retainAll(packages.get(false));
        assertThat(shared)
                .as("packages in both refresher-core and refresher-service (a split package hides which jar and layer"
                        + " a class is in): the service's side of a core feature goes in"
                        + " io.tokencast.refresher.service.<feature>")
                .isEmpty();
    }

    private static boolean inCore(JavaClass type) {
        return type.getSource()
                .map(source -> source.getUri().toString().contains(CORE))
                .orElse(false);
    }

    private static final DescribedPredicate<JavaClass> FROM_CORE =
            DescribedPredicate.describe("from refresher-core's jar", LayeringTest::inCore);

    @ArchTest
    static final ArchRule everyServiceClassUnderTheServicePackage = classes()
            .that(not(FROM_CORE))
            .should()
            .resideInAPackage("io.tokencast.refresher.service..")
            .because("a class's package names its module: refresher-service's composition root is"
                    + " io.tokencast.refresher.service, each of its features io.tokencast.refresher.service.<feature>,"
                    + " and the rest of io.tokencast.refresher is refresher-core's");

    @ArchTest
    static final ArchRule featuresDoNotReachIntoTheWiring = noClasses()
            .that()
            .resideOutsideOfPackage("io.tokencast.refresher.service")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tokencast.refresher.service")
            .because("io.tokencast.refresher.service is the composition root: it depends on the features, never the"
                    + " reverse");

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
