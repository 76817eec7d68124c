import type { SendResult, WecomApiClient } from './apiClient';
import type { OutboundMessage } from './messages';

/** What a delivery returns; kept small because BullMQ stores it with the completed job. */
export type DeliveryResult = { channel: OutboundMessage['channel'] } & SendResult & { invalidUsers?: string[] };

/** Sends one outbox message through the matching WeChat Work endpoint. */
export async function deliverOutbound(client: WecomApiClient, message: OutboundMessage): Promise<DeliveryResult> {
  switch (message.channel) {
    case 'app':
      return { channel: 'app', ...(await client.sendMessage(message.body)) };
    case 'appchat':
      await client.sendAppChat(message.body);
      return { channel: 'appchat' };
    case 'webhook':
      await client.sendWebhook(message.key, message.body);
      return { channel: 'webhook' };
    case 'card-update': {
      const { invalidUser } = await client.updateTemplateCard(message.body);
      return invalidUser.length === 0 ? { channel: 'card-update' } : { channel: 'card-update', invalidUsers: invalidUser };
    }
  }
}
