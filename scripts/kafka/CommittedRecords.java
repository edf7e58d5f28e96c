import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic from the start with Kafka's own Java client in read_committed
 * mode: the records of committed transactions (and non-transactional ones),
 * never those of aborted or open transactions. The tests check Sluice's
 * exactly-once output with it because @platformatic/kafka's read_committed
 * filter lets some aborted records through.
 *
 * Usage: CommittedRecords BOOTSTRAP TOPIC EXPECTED QUIET_MS TIMEOUT_MS
 * Reads until at least EXPECTED records have come and none more for QUIET_MS,
 * or until TIMEOUT_MS have passed. Prints one line per record,
 * "partition TAB offset TAB key TAB value" (values and keys must hold no tab
 * or newline), in offset order within each partition.
 */
public class CommittedRecords {
  public static void main(String[] args) {
    if (args.length != 5) {
      System.err.println("usage: CommittedRecords BOOTSTRAP TOPIC EXPECTED QUIET_MS TIMEOUT_MS");
      System.exit(2);
    }
    String topic = args[1];
    long expected = Long.parseLong(args[2]);
    long quietMs = Long.parseLong(args[3]);
    long deadline = System.currentTimeMillis() + Long.parseLong(args[4]);
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("isolation.level", "read_committed");
    p.put("enable.auto.commit", "false");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    // Small fetches, so that a large aborted transaction spans several (where the JavaScript client leaks).
    p.put("max.partition.fetch.bytes", "16384");
    p.put("fetch.max.bytes", "16384");
    StringBuilder out = new StringBuilder();
    long count = 0;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      // No group: every partition, assigned by hand, from its first offset.
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long lastArrival = System.currentTimeMillis();
      while (System.currentTimeMillis() < deadline) {
        int got = 0;
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          out.append(r.partition()).append('\t').append(r.offset()).append('\t');
          out.append(r.key() == null ? "" : r.key()).append('\t');
          out.append(r.value() == null ? "" : r.value()).append('\n');
          got++;
        }
        long now = System.currentTimeMillis();
        if (got > 0) {
          count += got;
          lastArrival = now;
        } else if (count >= expected && now - lastArrival >= quietMs) break;
      }
    }
    System.out.print(out);
    System.out.flush();
    System.err.println("read " + count + " records of " + topic);
  }
}
