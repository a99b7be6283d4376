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
INSERT INTO "probe" VALUES(1.79617611741137433055e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617611738166809082e+09,'4de32d90-33c8-4330-9dd7-ed06a6894441','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "4de32d90-33c8-4330-9dd7-ed06a6894441"}','done',1.7961761173836305141e+09,1.79617611739052987097e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "4de32d90-33c8-4330-9dd7-ed06a6894441", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617611739101481439e+09,1.79617611739925694472e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "4de32d90-33c8-4330-9dd7-ed06a6894441", "ids": ["itm_2643a96fd036437c"]}','{"units": 3}','done',1.79617611740490102766e+09,1.79617611741054892539e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617611741194105152e+09,1.79617611741719532007e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_187d56d329dd44b0"}','done',1.79617611741787075994e+09,1.79617611741998124122e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_187d56d329dd44b0"}',NULL,'sent',1.79617611742047429083e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
