"""Admin pages of jobs (imports, exports): how far each has got, and the file it made once done."""

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from common.auth.operators import ScopedModelAdmin
from common.jobs import Job

JobModel = TypeVar("JobModel", bound=Job)


@dataclass(frozen=True)
class JobDownload:
    file_name: str
    content: str


class JobAdmin(ScopedModelAdmin, Generic[JobModel]):
    """Shows a job's progress as a bar (a <progress> element: the admin's CSP refuses inline
    styles) and links the file it made, which `download_view` serves to whoever may view the job.
    Subclasses say what that file is in `job_download`, and whether there is one in
    `has_download` (from what the list page loaded, so a page of jobs costs no query per row)."""

    def job_download(self, job: JobModel) -> JobDownload | None:
        raise NotImplementedError

    def has_download(self, job: JobModel) -> bool:
        raise NotImplementedError

    @admin.display(description="Progress")
    def progress(self, job: JobModel) -> str:
        if job.total_rows is None:
            return "Not started"
        return format_html(
            '<progress value="{}" max="{}">{}%</progress> {} of {}',
            job.processed_rows,
            job.total_rows,
            job.processed_rows * 100 // max(job.total_rows, 1),
            job.processed_rows,
            job.total_rows,
        )

    @admin.display(description="File")
    def download(self, job: JobModel) -> str:
        if not self.has_download(job):
            return self.get_empty_value_display()
        url = reverse(f"{self.admin_site.name}:{self.download_url_name}", args=[job.pk])
        return format_html('<a href="{}" download>Download CSV</a>', url)

    @property
    def download_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_download"

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<uuid:object_id>/download/",
            self.admin_site.admin_view(self.download_view),
            name=self.download_url_name,
        )
        return [download, *super().get_urls()]

    def download_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = cast(JobModel | None, self.get_object(request, str(object_id)))
        made = None if job is None else self.job_download(job)
        if made is None:
            raise Http404
        response = HttpResponse(made.content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{made.file_name}"'
        return response
