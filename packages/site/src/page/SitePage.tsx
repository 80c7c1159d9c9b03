/** Props of {@link SitePage}. */
export interface SitePageProps {
  /** The site's base URL (ends with "/"): where `site.json` and the aiconfig are. */
  siteRoot: string;
}

/** The static notebook page. (Skeleton: the notebook follows.) */
export function SitePage({ siteRoot }: SitePageProps) {
  return (
    <div className="site" data-site-root={siteRoot} data-ready="true">
      AI Workbook
    </div>
  );
}
