package dev.warren.mirroring;

/**
 * One node of the cluster as this node sees it ({@link MetadataGroup#nodes()}).
 *
 * @param name the node's name, as in the peer list
 * @param running whether the node answered the metadata group's leader within the last {@link
 *     Liveness#RUNNING_WITHIN_MILLIS} ms (this node itself always runs)
 */
public record NodeStatus(String name, boolean running) {}
