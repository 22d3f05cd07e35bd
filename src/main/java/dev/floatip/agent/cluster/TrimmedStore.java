package dev.floatip.agent.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's store that keeps each object trimmed to what the agent reads (Fabric8 has no
 * informer transform; client-go's SetTransform does the same). The event handlers still see the
 * object as the API server sent it; only the cache, which lives as long as the agent, is trimmed.
 * The trim must keep name, namespace and resourceVersion: the informer keys and compares by them.
 */
final class TrimmedStore<T extends HasMetadata> implements ItemStore<T> {

  private final BasicItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<T> trim;

  TrimmedStore(UnaryOperator<T> trim) {
    this.trim = trim;
  }

  @Override
  public String getKey(T obj) {
    return store.getKey(obj);
  }

  @Override
  public T put(String key, T obj) {
    return store.put(key, trim.apply(obj));
  }

  @Override
  public T remove(String key) {
    return store.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet();
  }

  @Override
  public Stream<T> values() {
    return store.values();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public T get(String key) {
    return store.get(key);
  }
}
