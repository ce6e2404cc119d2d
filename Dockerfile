# syntax=docker/dockerfile:1
# Multi-stage build for the refresher (target "refresher", the default), the operator CLI (target "cli") and the
# WeChat sandbox used by docker-compose.yml (target "sandbox").

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl refresher-service,testkit,cli -am package -DskipTests \
 && ./mvnw -B -q -pl testkit dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib \
 && java -Djarmode=tools -jar refresher-service/target/refresher-service-*-exec.jar \
        extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre AS sandbox
RUN useradd --system --uid 10001 tokencast
WORKDIR /app
COPY --from=build /src/testkit/target/lib/ lib/
COPY --from=build /src/testkit/target/testkit-*.jar lib/
USER 10001
EXPOSE 8090
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-cp", "lib/*", "io.tokencast.testkit.wechat.WeChatSandboxMain"]

FROM eclipse-temurin:17-jre AS cli
RUN useradd --system --uid 10001 tokencast
WORKDIR /app
COPY --from=build /src/cli/target/tokencast-cli.jar ./
USER 10001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/tokencast-cli.jar"]

FROM eclipse-temurin:17-jre AS refresher
RUN useradd --system --uid 10001 tokencast
WORKDIR /app
# Layers from least to most often changed, so a code change rebuilds only the last one.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseContainerSupport", \
            "org.springframework.boot.loader.launch.JarLauncher"]
