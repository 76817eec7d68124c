/** EventKey of the draft card's buttons: `draft:<draftId>:<action>`. */
export const DRAFT_ACTION_PREFIX = 'draft:';

export const DRAFT_ACTIONS = ['confirm', 'category', 'urgency', 'cancel', 'pick-category', 'pick-urgency'] as const;
export type DraftAction = (typeof DRAFT_ACTIONS)[number];

/** Question keys of the chooser cards. */
export const CATEGORY_QUESTION = 'category';
export const URGENCY_QUESTION = 'urgency';

export function draftActionKey(draftId: string, action: DraftAction): string {
  return `${DRAFT_ACTION_PREFIX}${draftId}:${action}`;
}

export function parseDraftActionKey(eventKey: string): { draftId: string; action: DraftAction } | undefined {
  const match = /^draft:([A-Za-z0-9]+):([a-z-]+)$/.exec(eventKey);
  const action = DRAFT_ACTIONS.find((a) => a === match?.[2]);
  return match?.[1] && action ? { draftId: match[1], action } : undefined;
}
