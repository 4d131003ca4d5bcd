"""Uploads: the files of the attachment records about to be pushed, in resumable chunks; and the
lazy download of an attachment's bytes."""

from __future__ import annotations

from typing import Any

from commissioner_app.attachments import blob_path, empty_blob_message, sha256_of
from commissioner_app.i18n import Message
from sync.errors import ConflictError, RefusedError
from sync.report import EngineParts, SyncProgress, SyncReport, checkpoint

COMPLETE_ATTEMPTS = 3  # sendings of one file in a sync (see _upload)


class Uploader(EngineParts):
    @staticmethod
    def _files_of(rows: list[Any]) -> bool:
        """Whether pushing these rows (sync/pusher._Row) may upload files first (see
        _upload_attachments)."""
        return any(
            not row.change["deleted"]
            and (
                (row.change["table"] == "attachments" and row.change["fields"]["sha256"])
                or (row.change["table"] == "visits" and row.change["fields"].get("confirm_sheet_sha256"))
            )
            for row in rows
        )

    def _upload_attachments(self, rows: list[Any], report: SyncReport) -> list[Any]:
        """Upload the files of the attachment records about to be pushed; drop records whose file is
        missing or empty."""
        kept = []
        wanted: dict[str, int] = {}
        for row in rows:
            change = row.change
            fields = change["fields"]
            if change["table"] == "attachments" and not change["deleted"] and fields["sha256"]:
                path = blob_path(self.store, fields["sha256"])
                if not path.exists() and change["base_rev"] and self._server_holds(fields["sha256"]):
                    # Taken by the server before, and its file is still there (a record brought back
                    # after a deletion, on a computer that never fetched the file): it goes without.
                    kept.append(row)
                    continue
                if not path.exists():
                    report.problems.append(
                        Message(
                            f"附件 {fields['original_name']} 的文件缺失，暂不发送该附件记录",
                            f"The file of attachment {fields['original_name']} is missing; its record is "
                            "held back",
                        )
                    )
                    continue
                size = path.stat().st_size
                if size == 0:
                    # Nothing to upload (an earlier version accepted empty files): the server could
                    # never complete it, and a sync that insisted would send nothing at all.
                    report.problems.append(
                        empty_blob_message(
                            fields["sha256"],
                            fields["original_name"],
                            "暂不发送该附件记录",
                            "its record is held back",
                        )
                    )
                    continue
                wanted[fields["sha256"]] = size
            elif change["table"] == "visits" and not change["deleted"] and fields.get("confirm_sheet_sha256"):
                # The signed confirmation sheet travels with its visit when this computer has it (and
                # it is not empty: its attachment record, held back above, says so).
                path = blob_path(self.store, fields["confirm_sheet_sha256"])
                if path.exists() and path.stat().st_size > 0:
                    wanted[fields["confirm_sheet_sha256"]] = path.stat().st_size
            kept.append(row)
        total = sum(wanted.values())
        sent = 0
        damaged: set[str] = set()
        for sha, size in wanted.items():
            if self._cancelled(report):
                return []
            try:
                sent += self._upload(sha, size, report, sent, total)
            except _DamagedFile:
                # Its bytes no longer match its hash (a failing disk, a file edited in place): the
                # server would refuse them, and the rest of the sync must not wait on them.
                damaged.add(sha)
                names = sorted(
                    {
                        str(r.change["fields"]["original_name"])
                        for r in kept
                        if r.change["table"] == "attachments" and r.change["fields"]["sha256"] == sha
                    }
                ) or [sha[:12]]
                for name in names:
                    report.problems.append(
                        Message(
                            f"附件 {name} 的文件已损坏（内容与校验值不符），暂不发送该附件记录；"
                            "请删除该附件，或重新添加原文件",
                            f"The file of attachment {name} is damaged (its content does not match its "
                            "hash); its record is held back. Delete the attachment, or add the original "
                            "file again",
                        )
                    )
        if damaged:
            kept = [
                r
                for r in kept
                if not (r.change["table"] == "attachments" and r.change["fields"]["sha256"] in damaged)
            ]
        return kept

    def _server_holds(self, sha: str) -> bool:
        """Whether the server holds a file this account has sent it (the server's maintenance deletes
        files no live record names, after a while: a deleted record's, for one)."""
        return bool(self.client.attachment_status(sha).get("complete"))

    def _upload(self, sha: str, size: int, report: SyncReport, before: int, total: int) -> int:
        status = self.client.attachment_status(sha)
        if status.get("complete"):
            return size
        if sha256_of(blob_path(self.store, sha)) != sha:
            raise _DamagedFile(sha)
        offset = int(status.get("received", 0))
        self._progress(SyncProgress("upload", before + offset, total))
        for attempt in range(COMPLETE_ATTEMPTS):
            with blob_path(self.store, sha).open("rb") as f:
                while offset < size:
                    if self._cancelled(report):
                        return offset
                    f.seek(offset)
                    chunk = f.read(self.chunk_size)
                    try:
                        offset = self.client.upload_chunk(sha, offset, chunk)
                        report.bytes_uploaded += len(chunk)
                    except ConflictError as exc:
                        # The server holds a different amount (a retried chunk had arrived): resume there.
                        received = exc.body.get("received")
                        offset = (
                            int(received)
                            if received is not None
                            else int(self.client.attachment_status(sha).get("received", 0))
                        )
                    checkpoint("upload_chunk_sent")
                    self._progress(SyncProgress("upload", before + offset, total))
            try:
                self.client.complete_attachment(sha, size)
                break
            except ConflictError as exc:
                # Fewer bytes at the server than were sent: someone else's upload of the same file
                # finished meanwhile, and this laptop proves it holds the file by sending it again
                # (from where the server says). Bounded: a server that never takes it is an error.
                received = exc.body.get("received")
                if not isinstance(received, int) or received >= size or attempt == COMPLETE_ATTEMPTS - 1:
                    raise
                offset = max(received, 0)
                self._progress(SyncProgress("upload", before + offset, total))
        report.attachments_uploaded += 1
        return size

    def download_attachment(self, sha: str) -> None:
        """Fetch an attachment's bytes on demand (downloads are lazy) and store them under their hash."""
        from commissioner_app.attachments import store_bytes

        if blob_path(self.store, sha).exists():  # (refuses a value that is not a SHA-256)
            return
        data = self.client.download_attachment(sha)
        if store_bytes(self.store, data) != sha:
            raise RefusedError(
                Message("下载的附件与校验值不符", "The downloaded attachment does not match its hash")
            )


class _DamagedFile(Exception):
    """An attachment's file whose bytes no longer match its hash (see _upload_attachments)."""
