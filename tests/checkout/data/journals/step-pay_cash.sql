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
INSERT INTO "probe" VALUES(1.79617611753689289093e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.7961761175011851788e+09,'9b1a30ab-baa4-4837-b0b3-89784d6ef82f','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "9b1a30ab-baa4-4837-b0b3-89784d6ef82f"}','done',1.79617611750655984878e+09,1.79617611751653099066e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "9b1a30ab-baa4-4837-b0b3-89784d6ef82f", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617611751713657382e+09,1.79617611752399301524e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "9b1a30ab-baa4-4837-b0b3-89784d6ef82f", "ids": ["itm_299a4b7abf144fcc"]}','{"units": 3}','done',1.79617611753009295458e+09,1.79617611753606677051e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_cash", "drawer_main"]}','{}','done',1.79617611753758239746e+09,1.7961761175425233841e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_c578d5b1a7c441fd"}','done',1.79617611754310941693e+09,1.79617611754505038254e+09);
INSERT INTO "step" VALUES(6,1,'pay_cash','{"payment_id": "pay_c578d5b1a7c441fd", "amount": 657, "tendered": 10000}',NULL,'sent',1.79617611754554152483e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
