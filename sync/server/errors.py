"""Errors every endpoint answers with: an ErrorBody (sync.protocol) in Chinese and English."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        error: str,
        zh: str,
        en: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(en)
        self.status = status
        self.error = error
        self.zh = zh
        self.en = en
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "message_zh": self.zh, "message_en": self.en, **self.extra}


def not_found() -> ApiError:
    # Also the answer when the caller may not see the thing: refusals never reveal existence.
    return ApiError(404, "not_found", "未找到，或您无权访问", "not found, or you may not access it")


def auth_required() -> ApiError:
    return ApiError(
        401,
        "auth_required",
        "请重新登录（登录已过期或无效）",
        "please log in again (the session expired or is not valid)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def forbidden(zh: str = "您的角色无权执行此操作", en: str = "your role may not do this") -> ApiError:
    return ApiError(403, "forbidden", zh, en)


def too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "too_large",
        f"请求内容过大（上限 {limit} 字节）",
        f"the request body is too large (limit {limit} bytes)",
    )
