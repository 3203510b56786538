"""The shop's brand, as the merchant set it for the customer's page and e-mails (care/brand.py checks it).

Imported at the end of models.py so that one metadata holds every table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from saleor_cs_app.store.base import Base


class ShopBrand(Base):
    __tablename__ = "shop_brands"
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(80))  # None: Saleor's shop name
    saleor_name: Mapped[str | None] = mapped_column(String(200))  # Saleor's shop.name, as last read
    accent: Mapped[str | None] = mapped_column(String(7))  # "#rrggbb", AA against white
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)  # re-encoded PNG or JPEG, longest side 400 px
    logo_type: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)  # in the logo's and stylesheet's URLs: caches renew
    contacts: Mapped[dict] = mapped_column(JSON, default=dict)  # {email, phone, url}
    updated_at: Mapped[datetime]
