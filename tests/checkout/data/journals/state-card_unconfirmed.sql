BEGIN TRANSACTION;
CREATE TABLE cart (
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (sale_id, sku)
);
INSERT INTO "cart" VALUES(1,'8752601815904',1,0);
INSERT INTO "cart" VALUES(1,'8760913909969',2,1);
INSERT INTO "cart" VALUES(1,'8703082462811',0,2);
CREATE TABLE probe (at REAL);
INSERT INTO "probe" VALUES(1.7961762337181608677e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623366217803951e+09,'5ee572e7-beff-4f13-a444-dc8ba3ad6700','1000001','active','{}',NULL);
CREATE TABLE step (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    kind TEXT NOT NULL,
    intent TEXT NOT NULL,
    result TEXT,
    state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
    sent_at REAL NOT NULL,
    ended_at REAL
);
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "5ee572e7-beff-4f13-a444-dc8ba3ad6700"}','done',1.79617623366779708858e+09,1.79617623368037486073e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "5ee572e7-beff-4f13-a444-dc8ba3ad6700", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623368233227726e+09,1.7961762336953129768e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "5ee572e7-beff-4f13-a444-dc8ba3ad6700", "ids": ["itm_44795243c4c34ab9"]}','{"units": 3}','done',1.79617623370558929449e+09,1.79617623371626639362e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617623371935582156e+09,1.79617623373171091082e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_9cbeb0d8d4274eb8"}','done',1.79617623373264336588e+09,1.79617623373580050463e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_9cbeb0d8d4274eb8"}','{"payment_id": "pay_9cbeb0d8d4274eb8", "status": "PENDING", "paid": false, "read_back": true}','done',1.79617623373649740216e+09,1.79617623379266667365e+09);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
