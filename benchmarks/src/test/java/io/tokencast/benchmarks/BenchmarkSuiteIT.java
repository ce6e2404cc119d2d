package io.tokencast.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs every benchmark at tiny sizes so none of them can rot; asserts the table, never a timing. */
class BenchmarkSuiteIT {

    @Test
    void everyBenchmarkRunsAndReportsANumberForEveryRow() {
        ResultTable table = BenchmarkSuite.run(Sizes.smoke(), EnumSet.allOf(BenchmarkSuite.Part.class), false);

        List<Row> rows = table.rows();
        assertThat(rows)
                .extracting(Row::metric)
                .anySatisfy(m -> assertThat(m).startsWith("read: token(key)").endsWith("1 thread"))
                .anySatisfy(m -> assertThat(m).startsWith("read: token(key)").endsWith("2 threads"))
                .anySatisfy(m -> assertThat(m).startsWith("read: token(key)").endsWith("encrypted (JWE)"))
                .anySatisfy(m -> assertThat(m).contains("plaintext, p99"))
                .anySatisfy(m -> assertThat(m).contains("encrypted (JWE), p99"))
                .anySatisfy(m -> assertThat(m)
                        .contains("signed (Ed25519 on BouncyCastle")
                        .endsWith("p99"))
                .anySatisfy(m -> assertThat(m).contains("signed and encrypted, p99"))
                .anySatisfy(m -> assertThat(m).endsWith("p50"))
                .anySatisfy(m -> assertThat(m).endsWith("p99"))
                .anySatisfy(m -> assertThat(m).endsWith("max"))
                .anySatisfy(m -> assertThat(m).startsWith("cold start: ready"))
                .anySatisfy(m -> assertThat(m).startsWith("cold start: raw consumer + EventCodec.decode"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("cold start, signed (Ed25519 on BouncyCastle")
                        .contains("ready with"))
                .anySatisfy(m -> assertThat(m).startsWith("cold start, signed: every key verified in the background"))
                .anySatisfy(m -> assertThat(m).isEqualTo("cold start, signed: first read of a key (verifies it), p50"))
                .anySatisfy(m -> assertThat(m).isEqualTo("cold start, signed: first read of a key (verifies it), p99"))
                .anySatisfy(m -> assertThat(m).startsWith("read: token(key)").endsWith("verified once)"))
                .anySatisfy(m -> assertThat(m).startsWith("read: token(key)").endsWith("(JWE), interleaved in one JVM"))
                .anySatisfy(m -> assertThat(m).startsWith("read: token(key)").endsWith("once), interleaved in one JVM"))
                .anySatisfy(
                        m -> assertThat(m).startsWith("sidecar: GET /v1/tokens").endsWith("p50"))
                .anySatisfy(
                        m -> assertThat(m).startsWith("sidecar: GET /v1/tokens").endsWith("p99"))
                .anySatisfy(m -> assertThat(m).startsWith("gateway: user/info via the gateway, 1 caller,"))
                .anySatisfy(m -> assertThat(m).startsWith("gateway: user/info via the gateway, 16 callers,"))
                .anySatisfy(m -> assertThat(m).startsWith("gateway: throughput via the gateway, 16 callers"))
                .anySatisfy(m -> assertThat(m).startsWith("gateway: CPU per call in the sidecar's threads, 16 callers"))
                .anySatisfy(m -> assertThat(m).startsWith("gateway: one invalidation under 200 calls/s"));
        for (String what : new String[] {"refresh (refresher, 10 apps)", "refresh (policy + WeChat client, 50 apps)"}) {
            assertThat(rows)
                    .extracting(Row::metric)
                    .contains(
                            what + ": fetches/app/day, stable",
                            what + ": fetches/app/day, classic",
                            what + ": max fetches in any second",
                            what + ": heap retained after GC",
                            what + ": CPU time per refresh");
        }
        assertThat(rows).hasSize(48).allSatisfy(row -> assertThat(row.tokencast())
                .isFinite());
        assertThat(rows)
                .filteredOn(
                        row -> row.verdict() != Row.Verdict.INFO || row.metric().contains("propagation"))
                .allSatisfy(row -> assertThat(row.anchor()).isFinite().isPositive());
        assertThat(table.render().lines()).hasSize(rows.size() + 2);
    }
}
