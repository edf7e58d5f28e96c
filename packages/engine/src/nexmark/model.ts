// The shape of the Nexmark auction, after Beam's GeneratorConfig and the
// Person/Auction/Bid generators (also used by the nexmark/nexmark suite for
// Flink): which event an event number is, and which ids exist at that point.

/** Out of every 50 events: 1 person, 3 auctions, 46 bids. */
export const PERSON_PROPORTION = 1;
export const AUCTION_PROPORTION = 3;
export const PROPORTION_DENOMINATOR = 50;

export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
export const NUM_CATEGORIES = 5;

/** The reference configuration's defaults. */
export const NUM_ACTIVE_PEOPLE = 1000;
export const NUM_IN_FLIGHT_AUCTIONS = 100;
export const PERSON_ID_LEAD = 10;
export const AUCTION_ID_LEAD = 10;
/** P(hot) = 1 - 1/ratio: half the bids go to a hot auction, three in four come from a hot bidder. */
export const HOT_AUCTION_RATIO = 2;
export const HOT_BIDDERS_RATIO = 4;
export const HOT_SELLERS_RATIO = 4;
/** Hot auctions, bidders and sellers are the first of each batch of the last 100. */
export const HOT_BATCH = 100;
export const AVG_PERSON_BYTES = 200;
export const AVG_AUCTION_BYTES = 500;
export const AVG_BID_BYTES = 100;

/** How many events it takes to create the in-flight auctions (integer division, as Java). */
export const EVENTS_FOR_IN_FLIGHT_AUCTIONS = Math.floor(
  (NUM_IN_FLIGHT_AUCTIONS * PROPORTION_DENOMINATOR) / AUCTION_PROPORTION,
);

export const PERSON = 0;
export const AUCTION = 1;
export const BID = 2;
export type EventKind = typeof PERSON | typeof AUCTION | typeof BID;

export function kindOf(eventId: number): EventKind {
  const rem = eventId % PROPORTION_DENOMINATOR;
  if (rem < PERSON_PROPORTION) return PERSON;
  if (rem < PERSON_PROPORTION + AUCTION_PROPORTION) return AUCTION;
  return BID;
}

/** The 0-based id of the last person created at or before this event. */
export function lastBase0PersonId(eventId: number): number {
  const epoch = Math.floor(eventId / PROPORTION_DENOMINATOR);
  let offset = eventId % PROPORTION_DENOMINATOR;
  if (offset >= PERSON_PROPORTION) offset = PERSON_PROPORTION - 1;
  return epoch * PERSON_PROPORTION + offset;
}

/** The 0-based id of the last auction created at or before this event. */
export function lastBase0AuctionId(eventId: number): number {
  let epoch = Math.floor(eventId / PROPORTION_DENOMINATOR);
  let offset = eventId % PROPORTION_DENOMINATOR;
  if (offset < PERSON_PROPORTION) {
    epoch--;
    offset = AUCTION_PROPORTION - 1;
  } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
    offset = AUCTION_PROPORTION - 1;
  } else {
    offset -= PERSON_PROPORTION;
  }
  return epoch * AUCTION_PROPORTION + offset;
}
