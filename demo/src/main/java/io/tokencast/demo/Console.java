package io.tokencast.demo;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** The demo's narration: one timestamped line per event, tagged with who says it. */
final class Console {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final PrintStream OUT = System.out;

    private Console() {}

    static synchronized void say(String who, String message) {
        OUT.printf("%s  %-12s %s%n", LocalTime.now().format(TIME), who, message);
        OUT.flush();
    }
}
