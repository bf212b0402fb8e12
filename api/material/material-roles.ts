// Who may write on the material side (DESIGN.md names no warehouse or production-operator role;
// these are the closest roles of the demo organisation, db/seed-demo.ts). Reading items, lots,
// production records and traces is open to every signed-in person, auditors included.
export const MATERIAL_ROLES = {
  /** The item master and bills of materials: engineering owns the product structure. */
  items: ['approver_engineering'],
  /** Receiving lots from suppliers: purchasing / supply chain, and incoming quality control. */
  receiving: ['approver_supply_chain', 'approver_quality_control'],
  /** Releasing, holding, rejecting and scrapping lots by hand: QA and quality control. */
  lotStatus: ['qa', 'approver_quality_control'],
  /** Production records (consumption and output lots): production. */
  production: ['approver_production'],
} as const;
