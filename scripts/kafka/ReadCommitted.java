import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

// What a read_committed consumer of the real Kafka client sees of a topic:
// every committed record's value, one a line, partition by partition.
// Tests check transactional output with it, because @platformatic/kafka's
// read_committed filter hands out records of some aborted transactions.
// Usage: java -cp '.cache/kafka/<version>/libs/*' scripts/kafka/ReadCommitted.java BOOTSTRAP TOPIC
public class ReadCommitted {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("isolation.level", "read_committed");
    p.put("enable.auto.commit", "false");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    // Small fetches, so an aborted transaction spans several (where the JavaScript client leaked).
    p.put("max.partition.fetch.bytes", "16384");
    p.put("fetch.max.bytes", "16384");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(args[1]).forEach(i -> tps.add(new TopicPartition(args[1], i.partition())));
      tps.sort(Comparator.comparingInt(TopicPartition::partition));
      for (TopicPartition tp : tps) {
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        // With read_committed, the end is the last stable offset: nothing open is waited for.
        long end = c.endOffsets(List.of(tp)).get(tp);
        long deadline = System.currentTimeMillis() + 30_000;
        while (c.position(tp) < end) {
          if (System.currentTimeMillis() > deadline) throw new RuntimeException("timed out reading " + tp);
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) System.out.println(r.value());
        }
      }
    }
  }
}
