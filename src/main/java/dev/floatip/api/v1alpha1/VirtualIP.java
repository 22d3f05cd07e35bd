package dev.floatip.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A floating IP: one or more addresses that VRRP moves between the selected nodes (DESIGN §4).
 * Cluster-scoped (it does not implement {@code Namespaced}); the same shape is read from a
 * standalone config file.
 *
 * <p>Printer columns follow DESIGN §4. ADDRESSES reads {@code status.addressList}, a text the
 * operator writes: kube-apiserver prints a list-valued column ({@code .spec.addresses}) as a JSON
 * array. Fabric8's CRD generator sorts them by JSON path; the committed CRD fixes the order in
 * post-processing.
 */
@Group(VirtualIP.GROUP)
@Version(VirtualIP.VERSION)
@Plural("virtualips")
@Singular("virtualip")
@ShortNames("vip")
@AdditionalPrinterColumn(name = "Addresses", jsonPath = ".status.addressList", type = Type.STRING)
@AdditionalPrinterColumn(name = "VRID", jsonPath = ".status.virtualRouterId", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Master", jsonPath = ".status.master", type = Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.nodesReady", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class VirtualIP extends CustomResource<VirtualIPSpec, VirtualIPStatus> {

  public static final String GROUP = "floatip.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "VirtualIP";
}
