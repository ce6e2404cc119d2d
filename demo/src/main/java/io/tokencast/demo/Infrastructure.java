package io.tokencast.demo;

import java.net.URI;

/** Where the demo's Kafka, Redis and WeChat sandbox answer. */
record Infrastructure(String kafka, String redis, URI sandbox) {}
