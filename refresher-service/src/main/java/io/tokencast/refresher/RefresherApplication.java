package io.tokencast.refresher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The refresher service: the one place in a fleet that calls WeChat for credentials. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RefresherApplication {

    public static void main(String[] args) {
        SpringApplication.run(RefresherApplication.class, args);
    }
}
