"""/api/v1/offices and /api/v1/users: accounts for admins (others get 403 AUTH-FORBIDDEN-ROLE).

Each handler calls one use case of ``archive_service.accounts.service``; a new token is in the answer of
the POST that made it, once, and no answer carries a password or token hash.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from archive_service.accounts import service
from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from schemas.accounts import (
    IssuedToken,
    OfficeCreate,
    OfficeList,
    OfficeOut,
    PasswordSet,
    TokenCreate,
    TokenList,
    TokenOut,
    UserCreate,
    UserCreated,
    UserList,
    UserOut,
    UserUpdate,
)
from schemas.api import ErrorBody

router = APIRouter(prefix="/api/v1", tags=["accounts"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorBody, "description": "Chỉ quản trị viên (AUTH-FORBIDDEN-ROLE)"},
    404: {"model": ErrorBody, "description": "Không có người dùng, đơn vị hoặc mã truy cập này"},
    409: {"model": ErrorBody, "description": "Đã có (USER-EXISTS, OFFICE-EXISTS) hoặc không được phép lúc này"},
    422: {"model": ErrorBody, "description": "Tên, mã đơn vị hoặc mật khẩu không hợp lệ"},
}


@router.get("/offices", response_model=OfficeList, responses=_ERRORS)
def list_offices(services: ServicesDep, principal: PrincipalDep) -> OfficeList:
    """Các đơn vị, với số người dùng."""
    return OfficeList(items=service.list_offices(services, principal))


@router.post("/offices", status_code=201, response_model=OfficeOut, responses=_ERRORS)
def create_office(data: OfficeCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep) -> OfficeOut:
    """Tạo đơn vị (mã viết hoa, tên tiếng Việt)."""
    return service.create_office(services, principal, data, addr=addr, via="api")


@router.get("/users", response_model=UserList, responses=_ERRORS)
def list_users(
    services: ServicesDep, principal: PrincipalDep, office: str | None = Query(None, max_length=64)
) -> UserList:
    """Người dùng (của một đơn vị khi có ``office``)."""
    return UserList(items=service.list_users(services, principal, office_code=office))


@router.post("/users", status_code=201, response_model=UserCreated, responses=_ERRORS)
def create_user(data: UserCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep) -> UserCreated:
    """Tạo người dùng trong một đơn vị đã có; mã truy cập (khi ``issue_token``) chỉ trả về lần này."""
    return service.create_user(services, principal, data, addr=addr, via="api", token_label="api")


@router.get("/users/{user_id}", response_model=UserOut, responses=_ERRORS)
def get_user(user_id: ObjectId, services: ServicesDep, principal: PrincipalDep) -> UserOut:
    """Một người dùng."""
    return service.get_user(services, principal, user_id)


@router.patch("/users/{user_id}", response_model=UserOut, responses=_ERRORS)
def update_user(
    user_id: ObjectId, data: UserUpdate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> UserOut:
    """Sửa vai trò, đơn vị, họ tên, độ mật, quyền xem mọi đơn vị; ``active: false`` khóa tài khoản."""
    return service.update_user(services, principal, user_id, data, addr=addr, via="api")


@router.put("/users/{user_id}/password", response_model=UserOut, responses=_ERRORS)
def set_password(
    user_id: ObjectId, data: PasswordSet, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> UserOut:
    """Đặt lại mật khẩu web; người dùng phải đổi ở lần đăng nhập tới (trừ khi ``change_required: false``)."""
    return service.set_password(
        services, principal, user_id, data.password, change_required=data.change_required, addr=addr, via="api"
    )


@router.get("/users/{user_id}/tokens", response_model=TokenList, responses=_ERRORS)
def list_tokens(user_id: ObjectId, services: ServicesDep, principal: PrincipalDep) -> TokenList:
    """Mã truy cập của người dùng: phần đầu, nhãn, ngày cấp, lần dùng gần nhất, thu hồi — không bao giờ cả mã."""
    return TokenList(items=service.list_tokens(services, principal, user_id))


@router.post("/users/{user_id}/tokens", status_code=201, response_model=IssuedToken, responses=_ERRORS)
def create_token(
    user_id: ObjectId, data: TokenCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> IssuedToken:
    """Cấp mã truy cập mới; mã chỉ có trong câu trả lời này."""
    return service.issue_token(services, principal, user_id, label=data.label, addr=addr, via="api")


@router.delete("/users/{user_id}/tokens/{token_id}", response_model=TokenOut, responses=_ERRORS)
def revoke_token(
    user_id: ObjectId, token_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> TokenOut:
    """Thu hồi một mã truy cập."""
    return service.revoke_token(services, principal, token_id, owner=user_id, addr=addr, via="api")


@router.post(
    "/users/{user_id}/tokens/{token_id}/rotate", status_code=201, response_model=IssuedToken, responses=_ERRORS
)
def rotate_token(
    user_id: ObjectId, token_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> IssuedToken:
    """Thay mã: mã mới cùng nhãn, mã cũ bị thu hồi, trong một lần."""
    return service.rotate_token(services, principal, token_id, owner=user_id, addr=addr, via="api")
