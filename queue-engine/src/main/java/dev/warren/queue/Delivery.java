package dev.warren.queue;

/**
 * One message handed from a queue to a consumer or to a basic.get.
 *
 * @param queue the queue it came from, to which acks and rejects go back
 * @param id the queue's id for it, which an ack or reject names
 * @param message owned by the receiver: it must release it once
 * @param redelivered whether it was delivered before (the AMQP redelivered flag)
 * @param messageCount ready messages left in the queue after this one (basic.get-ok)
 * @param deliveryCount how many times it was delivered before (the x-delivery-count header)
 */
public record Delivery(
    MessageQueue queue,
    long id,
    Message message,
    boolean redelivered,
    int messageCount,
    int deliveryCount) {}
