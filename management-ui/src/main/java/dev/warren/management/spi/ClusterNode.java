package dev.warren.management.spi;

/**
 * Another node of this node's cluster, as {@code /api/nodes} lists it beside this one.
 *
 * @param name the node's name, as queues' {@code leader} and {@code members} name it
 * @param running whether the node runs, as this node knows it now
 */
public record ClusterNode(String name, boolean running) {}
