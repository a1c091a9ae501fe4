package dev.cse4j.spark.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.TaskEndReason;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Records what the scheduler did with tasks, for assertions and for waiting on a point of a running job: which
 * tasks run where now, which ended how, which executors were removed. Register with
 * {@code spark.sparkContext().addSparkListener(events)}; events arrive asynchronously on Spark's listener bus.
 */
public final class TaskEvents extends SparkListener {

    private final Set<Long> running = new HashSet<>();
    private final List<String> runningExecutors = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> removedExecutors = new ArrayList<>();

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart taskStart) {
        running.add(taskStart.taskInfo().taskId());
        runningExecutors.add(taskStart.taskInfo().taskId() + "@" + taskStart.taskInfo().executorId());
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        running.remove(taskEnd.taskInfo().taskId());
        runningExecutors.remove(taskEnd.taskInfo().taskId() + "@" + taskEnd.taskInfo().executorId());
        TaskEndReason reason = taskEnd.reason();
        if (!"Success".equals(reason.toString())) {
            failures.add(reason.getClass().getSimpleName() + " on executor " + taskEnd.taskInfo().executorId()
                + ": " + (reason instanceof TaskFailedReason failed ? failed.toErrorString() : reason));
        }
    }

    @Override
    public synchronized void onExecutorRemoved(SparkListenerExecutorRemoved executorRemoved) {
        removedExecutors.add(executorRemoved.executorId() + ": " + executorRemoved.reason());
    }

    /** @return the executors that have a task running now */
    public synchronized Set<String> executorsRunningTasks() {
        Set<String> executors = new HashSet<>();
        runningExecutors.forEach(entry -> executors.add(entry.substring(entry.indexOf('@') + 1)));
        return executors;
    }

    /** @return every task end that was not a success, as "reason class on executor N: message" */
    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** @return every executor removal, as "id: reason" */
    public synchronized List<String> removedExecutors() {
        return List.copyOf(removedExecutors);
    }
}
