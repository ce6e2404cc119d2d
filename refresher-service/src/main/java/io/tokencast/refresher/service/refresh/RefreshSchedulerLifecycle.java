package io.tokencast.refresher.service.refresh;

import io.tokencast.refresher.refresh.RefreshScheduler;
import org.springframework.context.SmartLifecycle;

/**
 * Ticks refresher-core's {@link RefreshScheduler} while the Spring context runs: it starts once every bean is
 * ready and stops, releasing leadership after the tick in progress, before the beans it uses are closed.
 */
final class RefreshSchedulerLifecycle implements SmartLifecycle {

    private final RefreshScheduler scheduler;

    RefreshSchedulerLifecycle(RefreshScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        scheduler.start();
    }

    @Override
    public void stop() {
        scheduler.stop();
    }

    @Override
    public boolean isRunning() {
        return scheduler.isRunning();
    }
}
