package io.tokencast.topics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** topics sits below every module that reads a topic: kafka-clients only, no framework, nothing of tokencast's. */
@AnalyzeClasses(packages = "io.tokencast.topics", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule plainKafka = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "io.micrometer..",
                    "io.tokencast.consumer..",
                    "io.tokencast.refresher..",
                    "io.tokencast.cli..",
                    "io.tokencast.testkit..")
            .because("the consumer library, the refresher and the CLI all read their topics through this module");
}
